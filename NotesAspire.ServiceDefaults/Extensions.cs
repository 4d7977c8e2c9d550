using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using NotesAspire.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the solution shares: telemetry, unified service tags, service discovery,
/// resilient HTTP clients and health endpoints. One call per service: <c>builder.AddServiceDefaults()</c>.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    /// <summary>The probe paths take GET, what probes send, and HEAD, as every GET endpoint here; anything else gets 405, as at any other path.</summary>
    private static readonly HttpMethodMetadata ProbeMethods = new(GetAndHeadEndpoints.Methods);

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = RoutingProblems.Explain);
        AnyAcceptProblemDetailsWriter.Wrap(builder.Services);
        return builder;
    }

    /// <summary>
    /// Spans the SDK holds between two exports. Its default, 2,048, is a tenth of a second at the services' full load
    /// (thousands of requests a second, two or three spans each): on a busy machine the exporting thread falls that far
    /// behind, and the SDK drops what does not fit, requests without their traces. 32,768 spans is about a second of
    /// full load and a few tens of MiB at most. OTEL_BSP_MAX_QUEUE_SIZE still decides when it is set.
    /// </summary>
    public const int DefaultSpanQueueSize = 32_768;

    /// <summary>
    /// Spans an export carries at most. The SDK's default, 512, is an export every 12 ms at the services' full load, and
    /// each export costs the exporter, the bridge and the dashboard the same again whatever its size: with 2,048 the bridge
    /// spent a quarter less CPU a span (bench/README.md, item 25). Under light load exports still go every
    /// OTEL_BSP_SCHEDULE_DELAY, as small as they come. OTEL_BSP_MAX_EXPORT_BATCH_SIZE still decides when it is set.
    /// </summary>
    public const int DefaultSpanBatchSize = 2_048;

    /// <summary>
    /// Instruments that count the internals of every request: Kestrel's buffer rents and returns, routing's match
    /// attempts, the bytes Npgsql writes and reads and its commands in flight. Updated several times a request, they were
    /// about half of what metrics cost a traced read (bench/README.md, item 26), and nothing in this tutorial reads them.
    /// The requests' durations (server, client, database), active requests, connections, the pool and the runtime stay.
    /// </summary>
    private static readonly string[] PerRequestInternals =
    [
        "aspnetcore.memory_pool.*",
        "aspnetcore.routing.match_attempts",
        "db.client.operation.npgsql.bytes_written",
        "db.client.operation.npgsql.bytes_read",
        "db.client.operation.npgsql.executing",
    ];

    /// <summary>The names the OTLP exporter gives the HttpClients it asks IHttpClientFactory for, one per signal.</summary>
    private static readonly string[] OtlpExporterClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.SetDefault("OTEL_BSP_MAX_QUEUE_SIZE", DefaultSpanQueueSize);
        builder.SetDefault("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", DefaultSpanBatchSize);

        var tags = ServiceTags.From(builder.Configuration, builder.Environment.ApplicationName);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddAttributes(tags.ResourceAttributes))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .DropInstruments(PerRequestInternals))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Health probes run every few seconds; they would drown the traces users came to see.
                    aspnet.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        // OTEL_EXPORTER_OTLP_PROTOCOL (grpc or http/protobuf) and the per-signal variables are read by the exporter itself.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();

            // The exporter sends through IHttpClientFactory, so the defaults below would give it the standard resilience
            // handler, made for the app's own calls: an unavailable receiver would hold the exporter's one thread through
            // the handler's retries while spans pile up. The SDK has its own retry (OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY).
            foreach (var exporter in OtlpExporterClients)
            {
#pragma warning disable EXTEXP0001 // Experimental, and the library's one way to take a default handler off one client.
                builder.Services.AddHttpClient(exporter).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            }
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c>: every check (the service can do its work); <c>/alive</c>: only the liveness checks (the process answers).
    /// Mapped in every environment: orchestrators (the AppHost, Compose, Kubernetes) probe them in production too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).WithMetadata(ProbeMethods);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) })
            .WithMetadata(ProbeMethods);
        return app;
    }

    /// <summary>A dropped instrument is never switched on: its measurements cost the code that makes them next to nothing.</summary>
    private static MeterProviderBuilder DropInstruments(this MeterProviderBuilder metrics, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            metrics.AddView(name, MetricStreamConfiguration.Drop);
        }

        return metrics;
    }

    private static void SetDefault(this IHostApplicationBuilder builder, string key, int value)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[key]))
        {
            builder.Configuration[key] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
