using NotesAspire.AppHost.Containers;

namespace NotesAspire.AppHost.Datadog;

/// <summary>Where the dashboard forwards the services' telemetry for Datadog, if anywhere, and the one line that says so.</summary>
/// <param name="Agent">The agent container the AppHost runs, when it runs one.</param>
public sealed record DatadogForwarding(Uri? Endpoint, DatadogAgentContainer? Agent, string Description)
{
    /// <summary>First that applies: the option, an agent container (API key and a runtime), the host's agent, nothing.</summary>
    public static async Task<DatadogForwarding> ChooseAsync(Uri? endpointOption, Func<string, string?> environment)
    {
        if (endpointOption is not null)
        {
            return new(endpointOption, null, $"Datadog: forwarding telemetry to {endpointOption.AbsoluteUri}");
        }

        var hasApiKey = !string.IsNullOrWhiteSpace(environment(DatadogAgent.ApiKeyVariable));
        if (hasApiKey && await ContainerRuntime.FindAsync() is { } runtime)
        {
            var site = environment(DatadogAgent.SiteVariable) is { Length: > 0 } chosen ? chosen : DatadogAgent.DefaultSite;
            var agent = new DatadogAgentContainer(runtime, site);
            return new(DatadogAgentContainer.OtlpHttpUrl, agent, $"Datadog: telemetry goes to the agent in {agent.Description}");
        }

        if (environment(DatadogAgent.AgentHostVariable) is { Length: > 0 } host)
        {
            // UriBuilder brackets an IPv6 address (::1) and rejects what is no host name with a clear error.
            var endpoint = new UriBuilder("http", host.Trim(), DatadogAgent.OtlpHttpPort).Uri;
            return new(endpoint, null, $"Datadog: forwarding telemetry to the agent at {endpoint.AbsoluteUri} ({DatadogAgent.AgentHostVariable})");
        }

        var local = hasApiKey ? $"{DatadogAgent.ApiKeyVariable} is set, but neither Docker nor Podman answers: telemetry stays local." : "Telemetry stays local.";
        return new(null, null,
            $"{local} To send it to Datadog: set {DatadogAgent.ApiKeyVariable} (and {DatadogAgent.SiteVariable}) with Docker or Podman running, " +
            $"or {DatadogAgent.AgentHostVariable} for an agent on this host; see the README.");
    }
}
