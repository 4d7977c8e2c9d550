using NotesAspire.AppHost.Publishing.Model;
using NotesAspire.AppHost.Publishing.Yaml;

namespace NotesAspire.AppHost.Publishing.Kubernetes;

/// <summary>
/// On Kubernetes the agent is Datadog's Helm chart, a DaemonSet with one agent per node, which pods reach at their node's
/// address (DD_AGENT_HOST from status.hostIP) on host ports, as Datadog documents. Its values are read from the agent
/// container of the app model: the same site, APM, logs and OTLP receivers as on Compose. The API key is a Secret made by hand.
/// </summary>
internal static class DatadogHelmValuesWriter
{
    public const string FileName = "datadog-values.yaml";

    private const string ApiKeySecret = "datadog-secret";

    public static IEnumerable<GeneratedFile> Write(IReadOnlyList<DeployedResource> resources)
    {
        if (resources.FirstOrDefault(DatadogConventions.IsAgent) is not { } agent)
        {
            yield break;
        }

        var datadog = new YamlMap
        {
            ["apiKeyExistingSecret"] = ApiKeySecret,
            ["site"] = Value(agent, "DD_SITE") ?? "datadoghq.com",
            ["apm"] = new YamlMap { ["portEnabled"] = Enabled(agent, "DD_APM_ENABLED") },
            ["logs"] = new YamlMap { ["enabled"] = Enabled(agent, "DD_LOGS_ENABLED") },
        };

        var protocols = new YamlMap();
        foreach (var protocol in new[] { "grpc", "http" })
        {
            if (Value(agent, $"DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_{protocol.ToUpperInvariant()}_ENDPOINT") is { } endpoint)
            {
                protocols[protocol] = new YamlMap { ["enabled"] = true, ["endpoint"] = endpoint, ["useHostPort"] = true };
            }
        }

        if (protocols.Count > 0)
        {
            datadog["otlp"] = new YamlMap
            {
                ["receiver"] = new YamlMap { ["protocols"] = protocols },
                ["logs"] = new YamlMap { ["enabled"] = Enabled(agent, "DD_OTLP_CONFIG_LOGS_ENABLED") },
            };
        }

        string[] header =
        [
            DeploymentConventions.GeneratedBy,
            $"Values for Datadog's Helm chart, from the app model's {agent.Name} container:",
            $"  kubectl create secret generic {ApiKeySecret} --from-literal api-key=<your API key>",
            "  helm repo add datadog https://helm.datadoghq.com",
            $"  helm install {agent.Name} datadog/datadog -f {FileName}   (another site: --set datadog.site=datadoghq.eu)",
        ];
        yield return new GeneratedFile(FileName, YamlDocuments.Write(header, new YamlMap { ["datadog"] = datadog }));
    }

    /// <summary>The variable's text, or the default of the parameter it comes from; never a secret's value.</summary>
    private static string? Value(DeployedResource agent, string name)
    {
        var value = agent.Environment.FirstOrDefault(pair => pair.Key == name).Value;
        return value?.Literal ?? (value?.SingleParameter is { } parameter ? ParameterConventions.DefaultValue(parameter.Parameter) : null);
    }

    private static bool Enabled(DeployedResource agent, string name) => string.Equals(Value(agent, name), "true", StringComparison.OrdinalIgnoreCase);
}
