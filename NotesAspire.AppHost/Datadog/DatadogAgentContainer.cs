using NotesAspire.AppHost.Containers;
using NotesAspire.AppHost.Running;

namespace NotesAspire.AppHost.Datadog;

/// <summary>
/// The Datadog Agent run by Docker or Podman, configured as the tutorial's compose file does, with its OTLP receivers
/// published on loopback for the dashboard to forward to. Shown as the <c>datadog-agent</c> resource; removed on exit.
/// </summary>
public sealed class DatadogAgentContainer(ContainerRuntime runtime, string site)
{
    public const string ContainerName = "notesaspire-datadog-agent";
    public const string ResourceName = "datadog-agent";
    public const string ResourceType = "Container";

    /// <summary>Where the AppHost's dashboard forwards to: the published OTLP/HTTP receiver.</summary>
    public static readonly Uri OtlpHttpUrl = new($"http://localhost:{DatadogAgent.OtlpHttpPort}");

    public string Description => $"{runtime} container {ContainerName} ({DatadogAgent.Image}, site {site})";

    /// <summary>
    /// <c>docker run</c>'s arguments. The API key goes as <c>-e DD_API_KEY</c> alone: the CLI copies the value from its own
    /// environment (the AppHost's), so it is in no command line, process list or message.
    /// </summary>
    public IReadOnlyList<string> RunArguments()
    {
        List<string> arguments = ["run", "--detach", "--rm", "--name", ContainerName, "-e", DatadogAgent.ApiKeyVariable, "-e", $"{DatadogAgent.SiteVariable}={site}"];
        foreach (var setting in new[]
        {
            "DD_APM_ENABLED=true",
            "DD_APM_NON_LOCAL_TRAFFIC=true",
            "DD_DOGSTATSD_NON_LOCAL_TRAFFIC=true",
            $"DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT={DatadogAgent.OtlpGrpcEndpoint}",
            $"DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT={DatadogAgent.OtlpHttpEndpoint}",
            "DD_LOGS_ENABLED=true",
            "DD_OTLP_CONFIG_LOGS_ENABLED=true",
        })
        {
            arguments.AddRange(["-e", setting]);
        }

        foreach (var port in new[] { DatadogAgent.OtlpGrpcPort, DatadogAgent.OtlpHttpPort, DatadogAgent.TracePort })
        {
            arguments.AddRange(["-p", $"127.0.0.1:{port}:{port}"]);
        }

        foreach (var volume in DatadogAgent.HostVolumes)
        {
            arguments.AddRange(["-v", volume]);
        }

        arguments.Add(DatadogAgent.Image);
        return arguments;
    }

    public ResourceSnapshot Initial() =>
        new(ResourceName, ResourceType, ResourceStates.NotStarted, null, [OtlpHttpUrl.AbsoluteUri.TrimEnd('/')], 0, null, null);

    /// <summary>Starts the container (pulling the image the first time); its failure is the agent's, not the application's.</summary>
    public async Task RunAsync(ResourceCatalog catalog, CancellationToken cancellationToken)
    {
        catalog.Update(ResourceName, resource => resource with { State = ResourceStates.Starting });
        await runtime.RunAsync(["rm", "--force", ContainerName], cancellationToken);
        var (code, errors) = await runtime.RunAsync(RunArguments(), cancellationToken);
        if (code != 0)
        {
            catalog.Update(ResourceName, resource => resource with { State = ResourceStates.FailedToStart });
            catalog.AddConsoleLog(ResourceName, $"'{runtime} run {DatadogAgent.Image}' failed with code {code}: {errors.Trim()}", isError: true);
            return;
        }

        catalog.Update(ResourceName, resource => resource with { State = ResourceStates.Running, StartedAt = DateTimeOffset.Now });
        catalog.AddConsoleLog(ResourceName, $"Started container {ContainerName}; `{runtime} exec {ContainerName} agent status` shows what it sends.", isError: false);
    }

    /// <summary>Started with --rm: stopping it removes it.</summary>
    public async Task StopAsync(ResourceCatalog catalog)
    {
        catalog.Update(ResourceName, resource => resource with { State = ResourceStates.Stopping });
        await runtime.RunAsync(["stop", ContainerName], CancellationToken.None);
        catalog.Update(ResourceName, resource => resource with { State = ResourceStates.Stopped });
    }
}
