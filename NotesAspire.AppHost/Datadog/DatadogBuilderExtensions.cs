using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.AppHost.Containers;

namespace Aspire.Hosting;

public static class DatadogBuilderExtensions
{
    /// <summary>An OTLP/HTTP receiver to send to instead of an agent's (configuration or environment <c>Datadog__OtlpEndpoint</c>).</summary>
    public const string OtlpEndpointKey = "Datadog:OtlpEndpoint";

    public const string AgentResourceName = "datadog-agent";

    /// <summary>
    /// Sends the bridge's telemetry to Datadog too, through the first that applies; the AppHost's console and the bridge's
    /// own console in the dashboard say which, or why nothing goes to Datadog:
    /// <list type="number">
    /// <item><c>Datadog:OtlpEndpoint</c>: any OTLP/HTTP receiver;</item>
    /// <item><c>DD_API_KEY</c> (environment or user secrets) and a container runtime: the Datadog Agent container,
    ///   resource <c>datadog-agent</c> (always when publishing, the key then being a parameter of the deployment);</item>
    /// <item><c>DD_AGENT_HOST</c>: an agent installed on that host, its OTLP/HTTP receiver on port 4318.</item>
    /// </list>
    /// A deployment always runs the agent container beside the services, which export to it directly.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatadog(this IResourceBuilder<ProjectResource> bridge)
    {
        var builder = bridge.ApplicationBuilder;
        if (builder.ExecutionContext.IsPublishMode)
        {
            ExportStraightToTheAgent(builder, AddAgent(builder));
            return bridge;
        }

        var (endpoint, description) = Choose(builder);
        if (endpoint is not null)
        {
            bridge.WithEnvironment(context => context.EnvironmentVariables["DATADOG_OTLP_ENDPOINT"] = endpoint);
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NotesAspire.AppHost").LogInformation("Datadog: {Destination}", description);
            return Task.CompletedTask;
        });
        return bridge.OnBeforeResourceStarted(async (resource, @event, _) =>
        {
            @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource).LogInformation("Datadog: {Destination}", description);
            await @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(resource, snapshot => snapshot with
            {
                Properties = [.. snapshot.Properties.Where(p => p.Name != "datadog"), new ResourcePropertySnapshot("datadog", description)],
            });
        });
    }

    /// <summary>The key from DD_API_KEY (environment or user secrets) in a run; a deployment's own variable when published.</summary>
    private static IResourceBuilder<DatadogAgentResource> AddAgent(IDistributedApplicationBuilder builder)
    {
        var apiKey = builder.AddParameterFromConfiguration("dd-api-key", "DD_API_KEY", secret: true)
            .WithDescription("Your Datadog API key (Organization Settings > API Keys).");
        var site = builder.AddParameter("dd-site", SiteOf(builder.Configuration), publishValueAsDefault: true)
            .WithDescription("Your account's site: datadoghq.com, us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com...");
        return builder.AddDatadogAgent(AgentResourceName, apiKey, site);
    }

    private static string SiteOf(IConfiguration configuration) =>
        configuration["DD_SITE"] is { Length: > 0 } site ? site.Trim() : "datadoghq.com";

    /// <summary>Every project, also those added later: OTLP to the agent, and DD_AGENT_HOST for Datadog's own clients.</summary>
    private static void ExportStraightToTheAgent(IDistributedApplicationBuilder builder, IResourceBuilder<DatadogAgentResource> agent)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var otlp = agent.GetEndpoint(DatadogAgentResource.OtlpGrpcEndpointName);
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
                    context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                    context.EnvironmentVariables["DD_AGENT_HOST"] = otlp.Property(EndpointProperty.Host);
                }));
                // Started is enough: the OTLP exporter retries, and telemetry must not keep the application down.
                project.Annotations.Add(new WaitAnnotation(agent.Resource, WaitType.WaitUntilStarted));
            }

            return Task.CompletedTask;
        });
    }

    private static (object? Endpoint, string Description) Choose(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration[OtlpEndpointKey] is { Length: > 0 } explicitEndpoint)
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new DistributedApplicationException($"{OtlpEndpointKey} is '{explicitEndpoint}'; it takes an http(s) URL, e.g. http://localhost:4318.");
            }

            return (uri.AbsoluteUri.TrimEnd('/'), $"to the OTLP/HTTP receiver {uri.AbsoluteUri.TrimEnd('/')} ({OtlpEndpointKey}).");
        }

        var hasKey = !string.IsNullOrWhiteSpace(configuration["DD_API_KEY"]);
        var (runtime, reason) = hasKey ? ContainerRuntime.Probe(configuration) : (null, "");
        if (hasKey && runtime is not null)
        {
            var agent = AddAgent(builder);
            return (agent.Resource.OtlpHttpEndpoint, $"to the Datadog Agent container '{AgentResourceName}' (DD_API_KEY is set, {reason}), site {SiteOf(configuration)}.");
        }

        if (configuration["DD_AGENT_HOST"] is { Length: > 0 } host)
        {
            var endpoint = $"http://{host.Trim()}:4318";
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            {
                throw new DistributedApplicationException($"DD_AGENT_HOST is '{host}'; it takes a host name or an IP address.");
            }

            return (endpoint, $"to the agent on {host.Trim()} (DD_AGENT_HOST), its OTLP/HTTP receiver {endpoint}; turn it on in the agent's datadog.yaml (docs/datadog.md).");
        }

        return hasKey
            ? (null, $"nothing is sent: DD_API_KEY is set, but the agent container needs a container runtime and {reason}. Set DD_AGENT_HOST to an installed agent's host, or {OtlpEndpointKey}.")
            : (null, $"nothing is sent: set DD_API_KEY (with Docker or Podman running), DD_AGENT_HOST, or {OtlpEndpointKey}. The dashboard shows Datadog's names meanwhile.");
    }
}
