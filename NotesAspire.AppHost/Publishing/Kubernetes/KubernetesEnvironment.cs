using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Publishing.Model;
using NotesAspire.AppHost.Publishing.Yaml;

namespace NotesAspire.AppHost.Publishing.Kubernetes;

/// <summary>
/// A container's env list. The kubelet substitutes <c>$(NAME)</c> only with variables listed earlier, so what values refer
/// to comes first: the node's address for the Datadog agent, then the parameters, each from the application's Secret
/// (or its default, for a non-secret parameter that has one).
/// </summary>
internal sealed class KubernetesEnvironment(DeployedResource? agent, string secretName)
{
    private readonly List<YamlMap> _defined = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public string Render(DeploymentValue value) => value.Render(Parameter, Endpoint);

    public List<YamlMap> Variables(IEnumerable<KeyValuePair<string, DeploymentValue>> environment)
    {
        var variables = new List<YamlMap>();
        foreach (var (name, value) in environment)
        {
            if (value.SingleParameter is { } parameter)
            {
                if (_names.Contains(name))
                {
                    continue;
                }

                variables.Add(ParameterVariable(name, parameter.Parameter));
                _names.Add(name);
                continue;
            }

            // DD_AGENT_HOST from the agent's host is the node's address itself.
            if (value.Parts is [EndpointPart { Property: EndpointProperty.Host } endpoint] && IsAgent(endpoint) && name == DatadogConventions.AgentHostVariable)
            {
                DefineAgentHost();
                continue;
            }

            variables.Add(new YamlMap { ["name"] = name, ["value"] = Render(value) });
            _names.Add(name);
        }

        return [.. _defined, .. variables];
    }

    private string Parameter(ParameterPart part)
    {
        var name = ParameterConventions.VariableName(part.Parameter);
        Define(name, () => ParameterVariable(name, part.Parameter));
        return $"$({name})";
    }

    /// <summary>Every resource is a Service of its name; the agent runs on each node, with its ports on the node's address.</summary>
    private string Endpoint(EndpointPart endpoint)
    {
        string host;
        if (IsAgent(endpoint))
        {
            DefineAgentHost();
            host = $"$({DatadogConventions.AgentHostVariable})";
        }
        else
        {
            host = endpoint.Resource.Name;
        }

        return endpoint.ValueAt(host);
    }

    private void DefineAgentHost() => Define(DatadogConventions.AgentHostVariable, () => new YamlMap
    {
        ["name"] = DatadogConventions.AgentHostVariable,
        ["valueFrom"] = new YamlMap { ["fieldRef"] = new YamlMap { ["fieldPath"] = "status.hostIP" } },
    });

    private bool IsAgent(EndpointPart endpoint) => agent is not null && endpoint.Resource == agent.Resource;

    private void Define(string name, Func<YamlMap> variable)
    {
        if (_names.Add(name))
        {
            _defined.Add(variable());
        }
    }

    private YamlMap ParameterVariable(string name, ParameterResource parameter) =>
        ParameterConventions.DefaultValue(parameter) is { } value
            ? new YamlMap { ["name"] = name, ["value"] = DeploymentValue.Escaped(value) }
            : new YamlMap
            {
                ["name"] = name,
                ["valueFrom"] = new YamlMap { ["secretKeyRef"] = new YamlMap { ["name"] = secretName, ["key"] = parameter.Name } },
            };
}
