using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class DatadogAgentBuilderExtensions
{
    public const string Image = "datadoghq/agent";
    public const string Tag = "7";
    public const string Registry = "gcr.io";
    public const string DockerSocket = "/var/run/docker.sock";

    /// <summary>
    /// Adds the Datadog Agent container (<c>gcr.io/datadoghq/agent:7</c>) with APM and OTLP ingest on, and the tutorial's
    /// read-only mounts of Docker's socket (when <paramref name="dockerSocket"/>), <c>/proc</c> and the cgroups, from which it
    /// tags containers.
    /// </summary>
    /// <param name="apiKey">A secret parameter; the container gets it as <c>DD_API_KEY</c>, the only place it goes.</param>
    /// <param name="site">The Datadog site of the account (<c>DD_SITE</c>); a key of another site makes the intake refuse everything.</param>
    /// <param name="dockerSocket">
    /// Whether Docker's socket is there to mount, as the tutorial does: the agent lists containers (with their labels) and
    /// learns the host's name from it. Podman has no daemon, and rootless Docker or Podman behind the <c>docker</c> command
    /// have nothing at that path, where a bind mount would keep the container from starting: without it the agent is told
    /// the host's name (<c>DD_HOSTNAME</c>) and tags no containers, which APM does not need.
    /// </param>
    public static IResourceBuilder<DatadogAgentResource> AddDatadogAgent(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> apiKey, IResourceBuilder<ParameterResource> site, bool dockerSocket)
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
            .WithDockerSocket(dockerSocket)
            .WithBindMount("/proc/", "/host/proc/", isReadOnly: true)
            .WithBindMount("/sys/fs/cgroup/", "/host/sys/fs/cgroup", isReadOnly: true)
            .WithHttpEndpoint(targetPort: 4318, name: DatadogAgentResource.OtlpHttpEndpointName)
            .WithEndpoint(targetPort: 4317, name: DatadogAgentResource.OtlpGrpcEndpointName, scheme: "http")
            .WithHttpEndpoint(targetPort: 8126, name: DatadogAgentResource.ApmEndpointName)
            // The trace agent answers /info once it runs.
            .WithHttpHealthCheck("/info", endpointName: DatadogAgentResource.ApmEndpointName)
            .WithRestartOnExit();
    }

    private static IResourceBuilder<DatadogAgentResource> WithDockerSocket(this IResourceBuilder<DatadogAgentResource> agent, bool dockerSocket) =>
        dockerSocket
            ? agent.WithBindMount(DockerSocket, DockerSocket, isReadOnly: true)
            : agent.WithEnvironment("DD_HOSTNAME", Environment.MachineName);
}
