using System.Buffers;
using System.Net;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.TelemetryBridge.Sending;
using NotesAspire.Tests.Infrastructure;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Bench;

/// <summary>
/// Where "tracing on" exports, as under the AppHost: the real telemetry bridge (its Release build, its own process), which
/// adds Datadog's names and sends every request on to a "dashboard": here an OTLP/HTTP receiver in this process that
/// counts spans and keeps nothing, so that what the bench measures is the services and the bridge, not a store. The
/// stand-in takes OTLP/gRPC too, as the real dashboard does, for a run that tries it (<c>--bridge-env</c>).
/// </summary>
public sealed class TracingSink : IAsyncDisposable
{
    private readonly SpanCount _spans;
    private readonly Uri _dashboardGrpc;
    private WebApplication? _dashboard;

    private TracingSink(BridgeProcess bridge, WebApplication dashboard, SpanCount spans, Uri dashboardGrpc, Uri dashboardHttp)
    {
        Bridge = bridge;
        _dashboard = dashboard;
        _spans = spans;
        _dashboardGrpc = dashboardGrpc;
        DashboardHttp = dashboardHttp;
    }

    /// <summary>
    /// The stand-in dashboard's OTLP/HTTP receiver: where the bridge sends, and where a run's services may export
    /// straight, without the bridge (<c>--on-env OTEL_EXPORTER_OTLP_ENDPOINT={dashboard-http}</c>).
    /// </summary>
    public Uri DashboardHttp { get; }

    public BridgeProcess Bridge { get; }

    /// <summary>Spans the dashboard got so far.</summary>
    public long DashboardSpans => _spans.Value;

    /// <summary>The bytes of the trace exports those spans came in: what the pipeline moves (with Datadog's names when the bridge is on the path).</summary>
    public long DashboardTraceBytes => _spans.Bytes;

    /// <summary>
    /// What the AppHost gives every project in a local run (Aspire's OTLP settings for development, with the bridge's
    /// OTLP/HTTP receiver as the endpoint): batches every second, metrics every second, every trace sampled.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address(Bridge.Http.BaseAddress!),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_TRACES_SAMPLER"] = "always_on",
        ["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
    };

    /// <param name="bridgeEnvironment">More environment for the bridge, to try a setting (<c>--bridge-env</c>).</param>
    public static async Task<TracingSink> StartAsync(IReadOnlyDictionary<string, string> bridgeEnvironment)
    {
        var (port, httpPort) = (FreePorts.One(), FreePorts.One());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 4 * 1024 * 1024);
        builder.Services.AddSingleton<IServiceMethodProvider<Receiver>, Receiver.Methods>();
        var spans = new SpanCount();
        builder.Services.AddSingleton(spans);
        var dashboard = builder.Build();
        dashboard.MapGrpcService<Receiver>();
        // Read whole before counting: the count walks the message from its start, as the real dashboard reads it whole.
        dashboard.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            var body = await request.BodyReader.ReadAtLeastAsync(int.MaxValue);
            if (signal == "traces")
            {
                spans.Add(CountSpans(body.Buffer), body.Buffer.Length);
            }

            request.BodyReader.AdvanceTo(body.Buffer.End);
            return Results.Bytes([], "application/x-protobuf");
        });
        await dashboard.StartAsync();

        var (dashboardGrpc, dashboardHttp) = (new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{httpPort}"));
        var settings = new Dictionary<string, string>
        {
            // The dashboard's OTLP/HTTP receiver, as the AppHost gives the bridge (--bridge-env
            // OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT={dashboard-grpc} for its gRPC one).
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address(dashboardHttp),
            // The bridge's own defaults, not the tests' short ones.
            ["Bridge__RetryInitialDelay"] = "00:00:00.250",
            ["Bridge__RetryMaxDelay"] = "00:00:05",
            ["Bridge__RequestTimeout"] = "00:00:10",
            ["Bridge__FlushTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in bridgeEnvironment)
        {
            // The bridge is not running yet: {bridge-http} means nothing to its own settings.
            settings[key] = Expand(value, dashboardGrpc, dashboardHttp, bridgeHttp: null);
        }

        var bridge = await BridgeProcess.StartAsync(dashboardGrpc, agent: null, settings);
        return new TracingSink(bridge, dashboard, spans, dashboardGrpc, dashboardHttp);
    }

    /// <summary>
    /// A setting's value (<c>--on-env</c>, <c>--bridge-env</c>) with the addresses it names filled in: {dashboard-grpc}
    /// and {dashboard-http}, the stand-in dashboard's receivers, and {bridge-http}, the bridge's OTLP/HTTP receiver.
    /// </summary>
    public string Expand(string value) => Expand(value, _dashboardGrpc, DashboardHttp, Bridge.Http.BaseAddress);

    public Task<DestinationStats> DashboardStatsAsync() => Bridge.StatsAsync("dashboard");

    private static string Expand(string value, Uri dashboardGrpc, Uri dashboardHttp, Uri? bridgeHttp)
    {
        value = value.Replace("{dashboard-grpc}", Address(dashboardGrpc)).Replace("{dashboard-http}", Address(dashboardHttp));
        return bridgeHttp is null ? value : value.Replace("{bridge-http}", Address(bridgeHttp));
    }

    /// <summary>An address as OTEL_EXPORTER_OTLP_ENDPOINT takes it: without the trailing slash.</summary>
    private static string Address(Uri uri) => uri.ToString().TrimEnd('/');

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

    private sealed class SpanCount
    {
        private long _spans;
        private long _bytes;

        public long Value => Interlocked.Read(ref _spans);

        public long Bytes => Interlocked.Read(ref _bytes);

        public void Add(long spans, long bytes)
        {
            Interlocked.Add(ref _spans, spans);
            Interlocked.Add(ref _bytes, bytes);
        }
    }

    /// <summary>Counts spans on the wire, without building messages: the stand-in must cost the machine next to nothing.</summary>
    private static long CountSpans(ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return CountSpans(payload.FirstSpan);
        }

        var bytes = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(bytes);
            return CountSpans(bytes.AsSpan(0, (int)payload.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static long CountSpans(ReadOnlySpan<byte> request)
    {
        var spans = 0L;
        var requestReader = new ProtoReader(request);
        while (requestReader.Next(out var field, out var type))
        {
            if (field != 1 || type != WireType.LengthDelimited)
            {
                requestReader.Skip(type);
                continue;
            }

            var resourceSpans = new ProtoReader(requestReader.ReadLengthDelimited());
            while (resourceSpans.Next(out field, out type))
            {
                if (field != 2 || type != WireType.LengthDelimited)
                {
                    resourceSpans.Skip(type);
                    continue;
                }

                var scopeSpans = new ProtoReader(resourceSpans.ReadLengthDelimited());
                while (scopeSpans.Next(out field, out type))
                {
                    spans += field == 2 ? 1 : 0;
                    scopeSpans.Skip(type);
                }
            }
        }

        return spans;
    }

    /// <summary>
    /// OTLP/gRPC's three Export methods: a trace export is counted as it is read from the request, never copied into an
    /// array of its own; logs and metrics are only answered.
    /// </summary>
    private sealed class Receiver(SpanCount spans)
    {
        private static readonly Tally None = new(0, 0);
        private static readonly Marshaller<Tally> Counted = new((_, _) => throw new NotSupportedException(), context =>
        {
            var payload = context.PayloadAsReadOnlySequence();
            return new Tally(CountSpans(payload), payload.Length);
        });
        private static readonly Marshaller<Tally> Ignored = new((_, _) => throw new NotSupportedException(), _ => None);
        private static readonly Marshaller<byte[]> Empty = Marshallers.Create(bytes => bytes, bytes => bytes);

        public sealed class Methods : IServiceMethodProvider<Receiver>
        {
            public void OnServiceMethodDiscovery(ServiceMethodProviderContext<Receiver> context)
            {
                Add(context, TraceService.Descriptor.FullName, count: true);
                Add(context, LogsService.Descriptor.FullName, count: false);
                Add(context, MetricsService.Descriptor.FullName, count: false);
            }

            private static void Add(ServiceMethodProviderContext<Receiver> context, string service, bool count) =>
                context.AddUnaryMethod(new Method<Tally, byte[]>(MethodType.Unary, service, "Export", count ? Counted : Ignored, Empty), [], (receiver, tally, _) =>
                {
                    receiver.Spans.Add(tally.Spans, tally.Bytes);
                    return Task.FromResult(Array.Empty<byte>());
                });
        }

        public SpanCount Spans => spans;

        /// <summary>What the stand-in keeps of a request: how many spans it held, in how many bytes.</summary>
        private sealed record Tally(long Spans, long Bytes);
    }
}
