namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>
/// Datadog's unified service tagging, read from the variables the app model gives a resource (see AddServiceTags):
/// <c>DD_SERVICE</c>, <c>DD_ENV</c>, <c>DD_VERSION</c> become the labels the agent reads on containers and pods.
/// And the one image-based rule: a container of Datadog's agent image is the agent. On Kubernetes the agent is Datadog's
/// Helm chart (a DaemonSet, one per node), not a Deployment of ours, and pods reach it at their node's address.
/// </summary>
public static class DatadogConventions
{
    public static readonly IReadOnlyList<string> TagVariables = ["DD_SERVICE", "DD_ENV", "DD_VERSION"];

    public const string DockerLabelPrefix = "com.datadoghq.tags.";

    public const string KubernetesLabelPrefix = "tags.datadoghq.com/";

    /// <summary>What Datadog's tracers and DogStatsD clients read; on Kubernetes, the node's address (status.hostIP).</summary>
    public const string AgentHostVariable = "DD_AGENT_HOST";

    /// <summary>service, env, version from DD_SERVICE, DD_ENV, DD_VERSION, for those the resource has.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Tags(DeployedResource resource) =>
        TagVariables
            .Select(name => (Tag: name["DD_".Length..].ToLowerInvariant(), Value: resource.Variable(name)))
            .Where(tag => tag.Value is { Length: > 0 })
            .Select(tag => KeyValuePair.Create(tag.Tag, tag.Value!));

    public static bool IsAgent(DeployedResource resource) => IsAgentImage(resource.Image);

    public static bool IsAgentImage(string image)
    {
        var repository = image.Split('@')[0];
        var slash = repository.LastIndexOf('/');
        var colon = repository.LastIndexOf(':');
        if (colon > slash)
        {
            repository = repository[..colon];
        }

        return repository.EndsWith("datadoghq/agent", StringComparison.Ordinal) || repository.EndsWith("datadog/agent", StringComparison.Ordinal);
    }
}
