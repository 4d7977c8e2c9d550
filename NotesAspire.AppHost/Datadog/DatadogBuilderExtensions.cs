using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.AppHost.Containers;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Telemetry;
using static NotesAspire.AppHost.Hosting.Settings;

namespace Aspire.Hosting;

public static class DatadogBuilderExtensions
{
    /// <summary>An OTLP/HTTP receiver to send to instead of an agent's (configuration or environment <c>Datadog__OtlpEndpoint</c>).</summary>
    public const string OtlpEndpointKey = "Datadog:OtlpEndpoint";

    public const string AgentResourceName = "datadog-agent";

    /// <summary>What an OTLP/HTTP exporter adds to its base URL, one path a signal.</summary>
    private static readonly string[] SignalPaths = ["/v1/traces", "/v1/logs", "/v1/metrics"];

    /// <summary>With DD_AGENT_HOST: <c>auto</c> (the default: OTLP when the agent's OTLP receiver answers, else its trace API), <c>otlp</c> or <c>traceapi</c>.</summary>
    public const string ProtocolKey = "Datadog:Protocol";

    /// <summary>With DD_AGENT_HOST: the agent's OTLP/HTTP port, 4318 unless set.</summary>
    public const string AgentOtlpHttpPortKey = "Datadog:AgentOtlpHttpPort";

    /// <summary>With DD_AGENT_HOST: the agent's trace API port, 8126 unless set (Datadog's tracers read the same variable).</summary>
    public const string AgentTracePortKey = "DD_TRACE_AGENT_PORT";

    /// <summary>
    /// Sends the bridge's telemetry to Datadog too, through the first that applies; the AppHost's console and the bridge's
    /// own console in the dashboard say which, or why nothing goes to Datadog:
    /// <list type="number">
    /// <item><c>Datadog:OtlpEndpoint</c>: any OTLP/HTTP receiver;</item>
    /// <item><c>DD_API_KEY</c> (environment or user secrets) and a container runtime: the Datadog Agent container,
    ///   resource <c>datadog-agent</c> (always when publishing, the key then being a parameter of the deployment);</item>
    /// <item><c>DD_AGENT_HOST</c>: an agent installed on that host: its OTLP/HTTP receiver (port 4318) when it answers,
    ///   else its trace API (port 8126, <c>DD_TRACE_AGENT_PORT</c>), what the tutorial's agent configuration turns on;
    ///   <c>Datadog:Protocol</c> forces one. The bridge probes the agent and its console says which it chose.</item>
    /// </list>
    /// A deployment always runs the agent container beside the services, which export to it directly. An exported
    /// <c>DD_API_KEY</c> is taken out of the environment the AppHost passes on to what it starts.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatadog(this IResourceBuilder<ProjectResource> bridge)
    {
        if (!bridge.Resource.HasAnnotationOfType<TelemetryBridgeAnnotation>())
        {
            throw new InvalidOperationException(
                $"WithDatadog is for the telemetry bridge, builder.AddTelemetryBridge(...).WithDatadog(); '{bridge.Resource.Name}' is another project.");
        }

        var builder = bridge.ApplicationBuilder;

        // DCP, and every process it starts (the services, the bridge, the dashboard), inherit the AppHost's environment:
        // an exported DD_API_KEY would be in all of them. The configuration has read it; only the agent container gets it.
        Environment.SetEnvironmentVariable("DD_API_KEY", null);

        // With any Datadog setting, every one of them must be able to work, whichever wins: which does can depend on
        // whether Docker answers today (DD_API_KEY's container before DD_AGENT_HOST's agent), and a mistake should not
        // wait for the day it matters. A publish writes the site into the deployment's files. A run that sends nothing
        // to Datadog uses none of them: stopping it would be for nothing, so its console line says what is wrong instead.
        var (site, siteRefusal) = SiteOf(builder.Configuration);
        var (installedAgent, installedAgentRefusal) = InstalledAgentOf(builder.Configuration);
        if (siteRefusal is not null && (builder.ExecutionContext.IsPublishMode || SendsToDatadog(builder.Configuration)))
        {
            throw new DistributedApplicationException(siteRefusal);
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            // A deployment runs the agent container: an installed agent's settings are not written anywhere.
            // Compose runs it on Docker, with its socket; Kubernetes from Datadog's chart.
            ExportStraightToTheAgent(builder, AddAgent(builder, site, dockerSocket: true));
            return bridge;
        }

        if (installedAgentRefusal is not null && SendsToDatadog(builder.Configuration))
        {
            throw new DistributedApplicationException(installedAgentRefusal);
        }

        var (environment, description) = Choose(builder, site, installedAgent);
        string[] unused = [.. new[] { siteRefusal, installedAgentRefusal }.OfType<string>()];
        if (unused.Length > 0)
        {
            description += unused.Length == 1
                ? $" {unused[0]} It is not used in this run; with any Datadog setting it would stop the AppHost."
                : $" {string.Join(" ", unused)} They are not used in this run; with any Datadog setting they would stop the AppHost.";
        }

        bridge.WithEnvironment(context =>
        {
            foreach (var (name, value) in environment)
            {
                context.EnvironmentVariables[name] = value;
            }
        });

        builder.LogAtStart("Datadog", description);
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
    private static IResourceBuilder<DatadogAgentResource> AddAgent(IDistributedApplicationBuilder builder, string site, bool dockerSocket)
    {
        var apiKey = builder.AddParameterFromConfiguration("dd-api-key", "DD_API_KEY", secret: true)
            .WithDescription("Your Datadog API key (Organization Settings > API Keys).");
        var siteParameter = builder.AddParameter("dd-site", site, publishValueAsDefault: true)
            .WithDescription("Your account's site: datadoghq.com, us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com...");
        return builder.AddDatadogAgent(AgentResourceName, apiKey, siteParameter, dockerSocket);
    }

    /// <summary>Whether any setting sends telemetry to Datadog, whichever would win: the first three of <see cref="Choose"/>.</summary>
    private static bool SendsToDatadog(IConfiguration configuration) =>
        configuration[OtlpEndpointKey] is { Length: > 0 }
        || !string.IsNullOrWhiteSpace(configuration["DD_API_KEY"])
        || configuration["DD_AGENT_HOST"] is { Length: > 0 };

    /// <summary>
    /// DD_SITE, datadoghq.com unless set. The agent builds its intake host names from it (<c>trace.agent.{site}</c>...), so
    /// it must be a host name alone: a URL, a path or the web application's <c>app.</c> host sends everything nowhere.
    /// Datadog adds sites now and then: the shape is checked, not a list. A value that is not a site comes back with
    /// the message that refuses it, and datadoghq.com.
    /// </summary>
    private static (string Site, string? Refusal) SiteOf(IConfiguration configuration)
    {
        if (configuration["DD_SITE"] is not { } configured || configured.Trim() is not { Length: > 0 } site)
        {
            return ("datadoghq.com", null);
        }

        if (IsSite(site))
        {
            return (site, null);
        }

        // What was probably meant, from a URL (https://app.datadoghq.eu) or a name with a path (datadoghq.eu/).
        var host = Uri.TryCreate(site, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : site.Split('/')[0];
        host = host.StartsWith("app.", StringComparison.OrdinalIgnoreCase) ? host["app.".Length..] : host;
        var suggestion = IsSite(host) ? $": DD_SITE={host}" : "";
        return ("datadoghq.com", Refusal("DD_SITE", configured,
            $"your account's Datadog site as a bare host name (datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com...), without scheme, path or app. prefix{suggestion}").Message);
    }

    /// <summary>An agent installed on <see cref="Host"/> (DD_AGENT_HOST), reached on these ports with this protocol.</summary>
    private sealed record InstalledAgent(string Host, int OtlpPort, int TracePort, string Protocol);

    /// <summary>
    /// DD_AGENT_HOST, Datadog:AgentOtlpHttpPort, DD_TRACE_AGENT_PORT and Datadog:Protocol, read in every run (see
    /// <see cref="WithDatadog"/>): the agent when DD_AGENT_HOST is set, or else null; or the message that refuses the
    /// first that cannot work.
    /// </summary>
    private static (InstalledAgent? Agent, string? Refusal) InstalledAgentOf(IConfiguration configuration)
    {
        try
        {
            var given = configuration["DD_AGENT_HOST"] is { Length: > 0 } value ? value : null;
            var host = given?.Trim();
            // The URLs are built around the host, as Datadog's tracers do: a URL there would become http://http://....
            if (host is not null && host.Contains("://", StringComparison.Ordinal))
            {
                var bare = Uri.TryCreate(host, UriKind.Absolute, out var url) && url.Host.Length > 0 ? $": DD_AGENT_HOST={url.Host}" : "";
                throw Refusal("DD_AGENT_HOST", given!, $"a host name or an IP address, without a scheme{bare}");
            }

            // An IPv6 address goes into a URL in brackets; given bare (::1, fd00::5), it is bracketed here.
            if (host is not null && System.Net.IPAddress.TryParse(host, out var address)
                && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !host.StartsWith('['))
            {
                host = $"[{host}]";
            }

            var otlpPort = Port(configuration, AgentOtlpHttpPortKey, 4318);
            var tracePort = Port(configuration, AgentTracePortKey, 8126);
            var protocol = configuration[ProtocolKey] is { Length: > 0 } configured ? configured.Trim().ToLowerInvariant() : "auto";
            if (protocol is not ("auto" or "otlp" or "traceapi"))
            {
                throw Refusal(ProtocolKey, configuration[ProtocolKey]!, "auto, otlp or traceapi");
            }

            if (host is null)
            {
                return (null, null);
            }

            if (!Uri.TryCreate($"http://{host}:{otlpPort}", UriKind.Absolute, out var built))
            {
                throw Refusal("DD_AGENT_HOST", given!, "a host name or an IP address");
            }

            // user:secret@agent makes a URL too, whose user info would be in every line naming the agent, and never sent.
            if (built.UserInfo.Length > 0)
            {
                throw Refusal("DD_AGENT_HOST", given!, $"a host name or an IP address, without user info: DD_AGENT_HOST={built.Host}");
            }

            return (new InstalledAgent(host, otlpPort, tracePort, protocol), null);
        }
        catch (DistributedApplicationException refusal)
        {
            return (null, refusal.Message);
        }
    }

    private static bool IsSite(string name) =>
        Uri.CheckHostName(name) is UriHostNameType.Dns && name.Contains('.') && !name.StartsWith("app.", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every project, also those added later: OTLP/HTTP to the agent, as to the bridge in a run, and DD_AGENT_HOST for
    /// Datadog's own clients.
    /// </summary>
    private static void ExportStraightToTheAgent(IDistributedApplicationBuilder builder, IResourceBuilder<DatadogAgentResource> agent)
    {
        var otlp = agent.Resource.OtlpHttpEndpoint;
        builder.OnEveryProject(project =>
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                context.ExportOtlpHttpTo(otlp);
                context.EnvironmentVariables["DD_AGENT_HOST"] = otlp.Property(EndpointProperty.Host);
            }));
            // Started is enough: the OTLP exporter retries, and telemetry must not keep the application down.
            project.Annotations.Add(new WaitAnnotation(agent.Resource, WaitType.WaitUntilStarted));
        });
    }

    private static (Dictionary<string, object> Environment, string Description) Choose(
        IDistributedApplicationBuilder builder, string site, InstalledAgent? installedAgent)
    {
        var configuration = builder.Configuration;
        if (configuration[OtlpEndpointKey] is { Length: > 0 } explicitEndpoint)
        {
            return ToOtlpEndpoint(configuration, explicitEndpoint);
        }

        var hasKey = !string.IsNullOrWhiteSpace(configuration["DD_API_KEY"]);
        var (runtime, reason) = hasKey ? ContainerRuntime.Probe(configuration) : (null, "");
        if (hasKey && runtime is not null)
        {
            return ToAgentContainer(builder, site, runtime, reason);
        }

        if (installedAgent is not null)
        {
            // Here a key means no runtime answered (the container comes first): the key is left aside, and the line says so.
            var unusedKey = hasKey
                ? $" DD_API_KEY is not used: that agent has its own key (the agent container, which would take it, needs a container runtime and {reason})."
                : "";
            return ToInstalledAgent(installedAgent, unusedKey);
        }

        return hasKey
            ? ([], $"nothing is sent: DD_API_KEY is set, but the agent container needs a container runtime and {reason}. Set DD_AGENT_HOST to an installed agent's host, or {Variable(OtlpEndpointKey)}.")
            : ([], $"nothing is sent: set DD_API_KEY (with Docker running), DD_AGENT_HOST, or {Variable(OtlpEndpointKey)}. The dashboard shows Datadog's names meanwhile.");
    }

    /// <summary>Any OTLP/HTTP receiver, <c>Datadog:OtlpEndpoint</c>: it comes before the other two.</summary>
    private static (Dictionary<string, object>, string) ToOtlpEndpoint(IConfiguration configuration, string explicitEndpoint)
    {
        if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Refusal(OtlpEndpointKey, explicitEndpoint, "an http(s) URL, e.g. http://localhost:4318");
        }

        // The bridge adds v1/traces, v1/logs and v1/metrics under the URL, keeping any path before (a proxy's prefix);
        // the traces URL pasted whole would have sent to /v1/traces/v1/traces.
        var path = uri.AbsolutePath.TrimEnd('/');
        if (SignalPaths.FirstOrDefault(signal => path.EndsWith(signal, StringComparison.OrdinalIgnoreCase)) is { } signal)
        {
            throw Refusal(OtlpEndpointKey, explicitEndpoint,
                $"the receiver's base URL, to which /v1/traces, /v1/logs and /v1/metrics are added: {Redacted(uri.GetLeftPart(UriPartial.Authority))}{path[..^signal.Length]}");
        }

        // The bridge's HttpClient sends no credentials from a URL's user info: the bridge is given the URL without it,
        // which the dashboard shows among its variables, and the line says it is not sent.
        var endpoint = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri.TrimEnd('/');
        var withoutUserInfo = uri.UserInfo.Length > 0 ? "; the user info in it is not sent: the bridge sends no credentials" : "";
        string[] unused = [.. new[] { "DD_API_KEY", "DD_AGENT_HOST" }.Where(name => !string.IsNullOrWhiteSpace(configuration[name]))];
        var leftAside = unused.Length > 0
            ? $" {string.Join(" and ", unused)} {(unused.Length > 1 ? "are" : "is")} not used: {Variable(OtlpEndpointKey)} comes first."
            : "";
        return (new() { ["DATADOG_OTLP_ENDPOINT"] = endpoint },
            $"to the OTLP/HTTP receiver {Redacted(uri.AbsoluteUri.TrimEnd('/'))} ({Variable(OtlpEndpointKey)}{withoutUserInfo}).{leftAside}");
    }

    /// <summary>The Datadog Agent container, with DD_API_KEY, while a container runtime answers.</summary>
    private static (Dictionary<string, object>, string) ToAgentContainer(IDistributedApplicationBuilder builder, string site, string runtime, string reason)
    {
        // Docker's socket where it is: not under Podman, even behind the docker command (podman-docker), nor rootless Docker.
        var agent = AddAgent(builder, site, runtime == "docker" && File.Exists(DatadogAgentBuilderExtensions.DockerSocket));
        // Which wins depends on whether a runtime answers today: the line says so either way (the other way in Choose).
        var unusedHost = builder.Configuration["DD_AGENT_HOST"] is { Length: > 0 }
            ? " DD_AGENT_HOST is not used: with DD_API_KEY set, the agent container comes first while a container runtime answers; unset DD_API_KEY to send to the agent on that host."
            : "";
        return (new() { ["DATADOG_OTLP_ENDPOINT"] = agent.Resource.OtlpHttpEndpoint },
            $"to the Datadog Agent container '{AgentResourceName}' (DD_API_KEY is set, {reason}), site {site}.{unusedHost}");
    }

    /// <summary>An agent installed on DD_AGENT_HOST: its OTLP/HTTP receiver or its trace API, as the bridge finds or is told.</summary>
    private static (Dictionary<string, object>, string) ToInstalledAgent(InstalledAgent agent, string unusedKey)
    {
        var (host, otlpPort, tracePort, protocol) = agent;
        var otlp = $"http://{host}:{otlpPort}";
        var traceApi = $"http://{host}:{tracePort}";
        var how = protocol switch
        {
            "otlp" => $"its OTLP/HTTP receiver {otlp} ({Variable(ProtocolKey)}=otlp; turn it on in the agent's datadog.yaml, docs/datadog.md)",
            "traceapi" => $"its trace API {traceApi} ({Variable(ProtocolKey)}=traceapi; traces only)",
            _ => $"its OTLP/HTTP receiver {otlp} when it answers (traces, logs, metrics), else its trace API {traceApi} (traces only: the tutorial's agent configuration); the telemetry resource's console says which",
        };
        return (new() { ["DATADOG_OTLP_ENDPOINT"] = otlp, ["DATADOG_TRACE_AGENT_URL"] = traceApi, ["DATADOG_PROTOCOL"] = protocol },
            $"to the agent on {host} (DD_AGENT_HOST): {how}.{unusedKey}");
    }
}
