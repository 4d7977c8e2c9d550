using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The Datadog Agent container as the model declares it. Running it needs a Docker engine, which our machines lack, so
/// its arguments are checked here: the model of a publish, which always has the agent, is the model of a run with DD_API_KEY.
/// </summary>
public sealed class DatadogAgentModelTests
{
    [Fact]
    public async Task TheAgentRunsTheTutorialsImageWithOtlpIngestAndGetsTheKeyOnlyByReference()
    {
        // Into a folder of the test's own: without an output path, Aspire publishes into the AppHost's project folder.
        using var output = TemporaryFolder.Create("publish");
        var (builder, publish) = await AppHostModel.PublishAsync(output.Path);
        var agent = builder.Resources.OfType<DatadogAgentResource>().Single();

        Assert.Equal("datadog-agent", agent.Name);
        Assert.True(agent.TryGetContainerImageName(out var image));
        Assert.Equal("gcr.io/datadoghq/agent:7", image);
        Assert.Equal(
            [("/var/run/docker.sock", "/var/run/docker.sock"), ("/proc/", "/host/proc/"), ("/sys/fs/cgroup/", "/host/sys/fs/cgroup")],
            agent.Annotations.OfType<ContainerMountAnnotation>().Where(mount => mount.IsReadOnly).Select(mount => (mount.Source!, mount.Target)));
        Assert.Equal([4317, 4318, 8126], agent.Annotations.OfType<EndpointAnnotation>().Select(endpoint => endpoint.TargetPort!.Value).Order());

        var environment = await AppHostModel.EnvironmentOfAsync(publish, agent);

        Assert.Equal("true", environment["DD_APM_ENABLED"]);
        Assert.Equal("true", environment["DD_APM_NON_LOCAL_TRAFFIC"]);
        Assert.Equal("0.0.0.0:4317", environment["DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT"]);
        Assert.Equal("0.0.0.0:4318", environment["DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT"]);
        var key = Assert.IsType<ParameterResource>(environment["DD_API_KEY"]);
        Assert.True(key.Secret);
        Assert.IsType<ParameterResource>(environment["DD_SITE"]);

        // No service gets the key; each exports to the agent and finds it through DD_AGENT_HOST.
        foreach (var project in builder.Resources.OfType<ProjectResource>().Where(project => !project.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any()))
        {
            var projectEnvironment = await AppHostModel.EnvironmentOfAsync(publish, project);

            Assert.DoesNotContain("DD_API_KEY", projectEnvironment.Keys);
            Assert.Contains("DD_AGENT_HOST", projectEnvironment.Keys);
        }
    }
}
