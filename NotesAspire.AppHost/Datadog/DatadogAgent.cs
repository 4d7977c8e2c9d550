namespace NotesAspire.AppHost.Datadog;

/// <summary>
/// The Datadog Agent that receives the services' telemetry over OTLP: run by the AppHost as a container, installed on the
/// host, or published next to the services (Compose, Kubernetes). Settings from Datadog's docs (see docs/datadog-facts.md).
/// </summary>
public static class DatadogAgent
{
    public const string Image = "gcr.io/datadoghq/agent:7";

    public const int OtlpGrpcPort = 4317;

    public const int OtlpHttpPort = 4318;

    /// <summary>Datadog's own trace intake, for services traced by a Datadog library rather than OpenTelemetry.</summary>
    public const int TracePort = 8126;

    /// <summary>The receiver binds to localhost unless told otherwise; other containers and pods must reach it.</summary>
    public static readonly string OtlpGrpcEndpoint = $"0.0.0.0:{OtlpGrpcPort}";

    public static readonly string OtlpHttpEndpoint = $"0.0.0.0:{OtlpHttpPort}";

    /// <summary>Required: without it the trace agent does not start. A secret: it is passed by name, never by value.</summary>
    public const string ApiKeyVariable = "DD_API_KEY";

    /// <summary>The account's site; a key used against another site gets 403 and the agent drops the data.</summary>
    public const string SiteVariable = "DD_SITE";

    public const string DefaultSite = "datadoghq.com";

    /// <summary>Where the agent runs, for services (and the AppHost) that send to an agent on another host.</summary>
    public const string AgentHostVariable = "DD_AGENT_HOST";

    /// <summary>Read-only views of the host, as in the tutorial: containers (with their labels), processes, cgroups.</summary>
    public static readonly IReadOnlyList<string> HostVolumes =
    [
        "/var/run/docker.sock:/var/run/docker.sock:ro",
        "/proc/:/host/proc/:ro",
        "/sys/fs/cgroup/:/host/sys/fs/cgroup:ro",
    ];

    /// <summary>The labels (Docker) and label prefix (Kubernetes) Datadog reads unified service tags from.</summary>
    public const string DockerTagLabelPrefix = "com.datadoghq.tags.";
    public const string KubernetesTagLabelPrefix = "tags.datadoghq.com/";
}
