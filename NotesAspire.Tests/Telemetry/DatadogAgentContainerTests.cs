using NotesAspire.AppHost.Containers;
using NotesAspire.AppHost.Datadog;

namespace NotesAspire.Tests.Telemetry;

/// <summary>The agent container cannot run here (no container engine): its command line is what can be checked.</summary>
public sealed class DatadogAgentContainerTests
{
    private static readonly IReadOnlyList<string> Arguments = new DatadogAgentContainer(new ContainerRuntime("docker"), "datadoghq.eu").RunArguments();

    [Fact]
    public void ApiKeyIsPassedByNameOnly()
    {
        var apiKey = Assert.Single(Arguments, argument => argument.StartsWith("DD_API_KEY", StringComparison.Ordinal));

        Assert.Equal("DD_API_KEY", apiKey);
        Assert.Equal("-e", Arguments[Arguments.ToList().IndexOf(apiKey) - 1]);
    }

    [Fact]
    public void AgentIsConfiguredAsTheTutorialsWithOtlpIngest()
    {
        string[] settings =
        [
            "DD_SITE=datadoghq.eu", "DD_APM_ENABLED=true", "DD_APM_NON_LOCAL_TRAFFIC=true", "DD_DOGSTATSD_NON_LOCAL_TRAFFIC=true",
            "DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT=0.0.0.0:4317", "DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT=0.0.0.0:4318",
            "DD_LOGS_ENABLED=true", "DD_OTLP_CONFIG_LOGS_ENABLED=true",
        ];
        Assert.All(settings, setting => Assert.Equal("-e", Arguments[Arguments.ToList().IndexOf(setting) - 1]));
        Assert.All(
            ["127.0.0.1:4317:4317", "127.0.0.1:4318:4318", "127.0.0.1:8126:8126"],
            port => Assert.Equal("-p", Arguments[Arguments.ToList().IndexOf(port) - 1]));
        Assert.All(
            ["/var/run/docker.sock:/var/run/docker.sock:ro", "/proc/:/host/proc/:ro", "/sys/fs/cgroup/:/host/sys/fs/cgroup:ro"],
            volume => Assert.Equal("-v", Arguments[Arguments.ToList().IndexOf(volume) - 1]));
        Assert.Equal(["run", "--detach", "--rm", "--name", "notesaspire-datadog-agent"], Arguments.Take(5));
        Assert.Equal("gcr.io/datadoghq/agent:7", Arguments[^1]);
    }
}
