using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class DatadogAgentBuilderExtensions
{
    public const string Image = "datadoghq/agent";
    public const string Tag = "7";
    public const string Registry = "gcr.io";

    /// <summary>
    /// Adds the Datadog Agent container (<c>gcr.io/datadoghq/agent:7</c>) with APM and OTLP ingest on, and the tutorial's
    /// read-only mounts of the runtime's socket (<see cref="WithRuntimeSocket"/>), <c>/proc</c> and the cgroups, from which it
    /// tags containers.
    /// </summary>
    /// <param name="apiKey">A secret parameter; the container gets it as <c>DD_API_KEY</c>, the only place it goes.</param>
    /// <param name="site">The Datadog site of the account (<c>DD_SITE</c>); a key of another site makes the intake refuse everything.</param>
    /// <param name="runtime">The container runtime it runs on: <c>docker</c> or <c>podman</c>.</param>
    public static IResourceBuilder<DatadogAgentResource> AddDatadogAgent(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> apiKey, IResourceBuilder<ParameterResource> site, string runtime)
    {
        return builder.AddResource(new DatadogAgentResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithIconName("Eye")
            .WithEnvironment("DD_API_KEY", apiKey)
            .WithEnvironment("DD_SITE", site)
            .WithEnvironment("DD_APM_ENABLED", "true")
            .WithEnvironment("DD_APM_NON_LOCAL_TRAFFIC", "true")
            .WithEnvironment("DD_DOGSTATSD_NON_LOCAL_TRAFFIC", "true")
            // The OTLP receiver binds to localhost by default: unreachable from outside its container.
            .WithEnvironment("DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT", "0.0.0.0:4317")
            .WithEnvironment("DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT", "0.0.0.0:4318")
            .WithEnvironment("DD_LOGS_ENABLED", "true")
            .WithEnvironment("DD_OTLP_CONFIG_LOGS_ENABLED", "true")
            // Read-only views of the host, as in the tutorial: containers (with their labels), processes, cgroups.
            .WithRuntimeSocket(runtime)
            .WithBindMount("/proc/", "/host/proc/", isReadOnly: true)
            .WithBindMount("/sys/fs/cgroup/", "/host/sys/fs/cgroup", isReadOnly: true)
            .WithHttpEndpoint(targetPort: 4318, name: DatadogAgentResource.OtlpHttpEndpointName)
            .WithEndpoint(targetPort: 4317, name: DatadogAgentResource.OtlpGrpcEndpointName, scheme: "http")
            .WithHttpEndpoint(targetPort: 8126, name: DatadogAgentResource.ApmEndpointName)
            // The trace agent answers /info once it runs.
            .WithHttpHealthCheck("/info", endpointName: DatadogAgentResource.ApmEndpointName)
            .WithRestartOnExit();
    }

    /// <summary>
    /// What the agent needs of the runtime it runs on. Docker: its socket, read-only as in the tutorial, from which the
    /// agent lists containers (with their labels) and learns the host's name. Podman has no daemon, so nothing at
    /// Docker's socket path, and a bind mount of a missing path keeps the container from starting: no socket, and the
    /// host's name given instead, as Datadog's guide for Podman does.
    /// </summary>
    private static IResourceBuilder<DatadogAgentResource> WithRuntimeSocket(this IResourceBuilder<DatadogAgentResource> agent, string runtime) =>
        runtime == "podman"
            ? agent.WithEnvironment("DD_HOSTNAME", Environment.MachineName)
            : agent.WithBindMount("/var/run/docker.sock", "/var/run/docker.sock", isReadOnly: true);
}
