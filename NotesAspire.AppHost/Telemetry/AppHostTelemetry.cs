using NotesAspire.AppHost.Datadog;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Running;
using NotesAspire.Dashboard;

namespace NotesAspire.AppHost.Telemetry;

/// <summary>
/// Where the services' telemetry goes in run mode: the dashboard in the AppHost process, and from there to a Datadog
/// Agent when one is set up. The services only ever know one OTLP endpoint; the fan-out happens here.
/// </summary>
public sealed class AppHostTelemetry : IAsyncDisposable
{
    private readonly DashboardServer? _dashboard;
    private readonly DatadogAgentContainer? _agent;
    private readonly ResourceCatalog _catalog;

    private AppHostTelemetry(DashboardServer? dashboard, DatadogAgentContainer? agent, ResourceCatalog catalog, OtlpExporter? exporter)
    {
        _dashboard = dashboard;
        _agent = agent;
        _catalog = catalog;
        Exporter = exporter;
    }

    /// <summary>What the services' OTEL_EXPORTER_OTLP_* say; null when nothing receives.</summary>
    public OtlpExporter? Exporter { get; }

    /// <summary>The dashboard's address as a user opens it (with the login token when one is required), or null.</summary>
    public string? DashboardUrl => _dashboard is null ? null : ForBrowser(_dashboard.DashboardUrl);

    /// <summary>The ports the dashboard binds, with the option that changes each: checked with the services' before anything starts.</summary>
    public static IEnumerable<(string Owner, int Port, string Option)> Ports(AppHostOptions options) =>
        options.Dashboard is not { } dashboard ? [] :
        [
            ("dashboard", dashboard.Port, "--dashboard-port"),
            ("dashboard OTLP/gRPC", dashboard.OtlpGrpcPort, "--otlp-grpc-port"),
            ("dashboard OTLP/HTTP", dashboard.OtlpHttpPort, "--otlp-http-port"),
        ];

    /// <summary>Chooses the Datadog target, adds its agent container to the catalog (not yet started) and starts the dashboard.</summary>
    public static async Task<AppHostTelemetry> StartAsync(AppHostOptions options, ResourceCatalog catalog, TextWriter console)
    {
        var datadog = await DatadogForwarding.ChooseAsync(options.DatadogOtlpEndpoint, Environment.GetEnvironmentVariable);
        await console.WriteLineAsync(datadog.Description);
        if (datadog.Agent is { } agent)
        {
            catalog.Add(agent.Initial());
        }

        DashboardServer? dashboard = null;
        if (options.Dashboard is { } dashboardOptions)
        {
            dashboard = await DashboardServer.StartAsync(
                dashboardOptions with
                {
                    ForwardOtlpTo = datadog.Endpoint,
                    ForwardingReport = report => Console.Error.WriteLine($"datadog: {report}"),
                },
                new DashboardResources(catalog));
            await console.WriteLineAsync($"Dashboard: {ForBrowser(dashboard.DashboardUrl)}");
        }

        // The user's own endpoint wins; else the dashboard, which forwards; without it, the agent straight.
        var exporter = options.Otlp
            ?? (dashboard is not null ? new OtlpExporter(dashboard.OtlpGrpcUrl.AbsoluteUri.TrimEnd('/'))
            : datadog.Endpoint is { } endpoint ? new OtlpExporter(endpoint.AbsoluteUri.TrimEnd('/'), "http/protobuf")
            : null);
        if (dashboard is not null && options.Otlp is not null)
        {
            await console.WriteLineAsync($"The services send their telemetry to {options.Otlp.Endpoint} (--otlp-endpoint): the dashboard shows none.");
        }

        return new AppHostTelemetry(dashboard, datadog.Agent, catalog, exporter);
    }

    /// <summary>Starts the agent container, if the AppHost runs one; the application runs on whether it starts or not.</summary>
    public Task RunAgentAsync(CancellationToken cancellationToken) =>
        _agent?.RunAsync(_catalog, cancellationToken) ?? Task.CompletedTask;

    /// <summary>After the services: the dashboard (which forwards what it still holds), then the agent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.StopAsync(_catalog);
        }
    }

    /// <summary>"localhost" reads better than 127.0.0.1, and is what the services' URLs say; no trailing slash, as theirs.</summary>
    private static string ForBrowser(Uri url) =>
        (url.Host == "127.0.0.1" ? new UriBuilder(url) { Host = "localhost" }.Uri : url).AbsoluteUri.TrimEnd('/');
}
