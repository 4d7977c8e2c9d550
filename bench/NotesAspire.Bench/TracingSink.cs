using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.TelemetryBridge.Sending;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Bench;

/// <summary>
/// Where "tracing on" exports, as under the AppHost: the real telemetry bridge (its Release build, its own process), which
/// adds Datadog's names and sends every request on to a "dashboard": here an OTLP/gRPC receiver in this process that
/// counts spans and keeps nothing, so that what the bench measures is the services and the bridge, not a store.
/// </summary>
public sealed class TracingSink : IAsyncDisposable
{
    private WebApplication? _dashboard;
    private long _spans;

    private TracingSink(BridgeProcess bridge, WebApplication dashboard)
    {
        Bridge = bridge;
        _dashboard = dashboard;
    }

    public BridgeProcess Bridge { get; }

    /// <summary>Spans the dashboard got from the bridge so far.</summary>
    public long DashboardSpans => Interlocked.Read(ref _spans);

    /// <summary>
    /// What the AppHost gives every project in a local run (Aspire's OTLP settings for development, plus the bridge as the
    /// endpoint): batches every second, metrics every second, every trace sampled.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => ExportingTo(Bridge.GrpcAddress);

    public static IReadOnlyDictionary<string, string> ExportingTo(Uri endpoint) => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_TRACES_SAMPLER"] = "always_on",
        ["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
    };

    public static async Task<TracingSink> StartAsync()
    {
        var port = BridgeProcess.FreeTcpPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 4 * 1024 * 1024);
        var counter = new Counter();
        builder.Services.AddSingleton(counter);
        var dashboard = builder.Build();
        dashboard.MapGrpcService<TraceReceiver>();
        dashboard.MapGrpcService<LogsReceiver>();
        dashboard.MapGrpcService<MetricsReceiver>();
        await dashboard.StartAsync();

        var bridge = await BridgeProcess.StartAsync(new Uri($"http://127.0.0.1:{port}"), agent: null, new Dictionary<string, string>
        {
            // The bridge's own defaults, not the tests' short ones.
            ["Bridge__RetryInitialDelay"] = "00:00:00.250",
            ["Bridge__RetryMaxDelay"] = "00:00:05",
            ["Bridge__RequestTimeout"] = "00:00:10",
            ["Bridge__FlushTimeout"] = "00:00:03",
        });
        var sink = new TracingSink(bridge, dashboard);
        counter.Sink = sink;
        return sink;
    }

    public Task<DestinationStats> DashboardStatsAsync() => Bridge.StatsAsync("dashboard");

    /// <summary>Waits until the dashboard has had no new span for two batch intervals; returns the count.</summary>
    public async Task<long> SettledSpansAsync()
    {
        var last = DashboardSpans;
        for (var quiet = 0; quiet < 4;)
        {
            await Task.Delay(500);
            var now = DashboardSpans;
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }

        return last;
    }

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
            _dashboard = null;
        }
    }

    private sealed class Counter
    {
        public TracingSink? Sink { get; set; }

        public void Add(ExportTraceServiceRequest request)
        {
            if (Sink is { } sink)
            {
                Interlocked.Add(ref sink._spans, request.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => (long)s.Spans.Count)));
            }
        }
    }

    private sealed class TraceReceiver(Counter counter) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            counter.Add(request);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class LogsReceiver : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
            Task.FromResult(new ExportLogsServiceResponse());
    }

    private sealed class MetricsReceiver : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
            Task.FromResult(new ExportMetricsServiceResponse());
    }
}
