using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>
/// A real OTLP/gRPC receiver in the test process, standing in for Aspire's dashboard: it keeps what it gets, and says it
/// rejected the spans without a name.
/// </summary>
public sealed class StandInDashboard : IAsyncDisposable
{
    public const string ApiKey = "test-api-key";

    private WebApplication? _app;

    private StandInDashboard(int port) => Address = new Uri($"http://127.0.0.1:{port}");

    public Uri Address { get; }

    public ConcurrentQueue<ExportTraceServiceRequest> Traces { get; } = new();

    public ConcurrentQueue<ExportLogsServiceRequest> Logs { get; } = new();

    public ConcurrentQueue<ExportMetricsServiceRequest> Metrics { get; } = new();

    /// <summary>Requests that came without the API key the bridge was given.</summary>
    public int WithoutApiKey => _withoutApiKey;

    /// <summary>While set, trace exports are answered Unavailable with a RetryInfo asking for this wait.</summary>
    public TimeSpan? BusyFor { get; set; }

    /// <summary>When each trace export reached it (<see cref="Stopwatch.GetTimestamp"/>), in order, whatever it answered.</summary>
    public ConcurrentQueue<long> TraceAttemptTimestamps { get; } = new();

    public IEnumerable<Span> Spans => Traces.SelectMany(Otlp.SpansOf);

    private int _withoutApiKey;

    /// <param name="maxMessageBytes">Its gRPC size limit; the default is gRPC's 4 MiB, as Aspire's dashboard keeps.</param>
    public static async Task<StandInDashboard> StartAsync(int? maxMessageBytes = null)
    {
        var dashboard = new StandInDashboard(FreePorts.One());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, dashboard.Address.Port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = maxMessageBytes ?? 4 * 1024 * 1024);
        builder.Services.AddSingleton(dashboard);
        dashboard._app = builder.Build();
        dashboard._app.MapGrpcService<TraceReceiver>();
        dashboard._app.MapGrpcService<LogsReceiver>();
        dashboard._app.MapGrpcService<MetricsReceiver>();
        await dashboard._app.StartAsync();
        return dashboard;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private void CheckKey(ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue("x-otlp-api-key") != ApiKey)
        {
            Interlocked.Increment(ref _withoutApiKey);
        }
    }

    private sealed class TraceReceiver(StandInDashboard dashboard) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            dashboard.CheckKey(context);
            // Settled as the export arrives: a test may change it as soon as it sees the attempt.
            var busyFor = dashboard.BusyFor;
            dashboard.TraceAttemptTimestamps.Enqueue(Stopwatch.GetTimestamp());
            if (busyFor is { } wait)
            {
                throw new Google.Rpc.Status
                {
                    Code = (int)StatusCode.Unavailable,
                    Message = "stand-in dashboard is busy",
                    Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) }) },
                }.ToRpcException();
            }

            dashboard.Traces.Enqueue(request);

            // As a receiver that checks what it takes: a span without a name is rejected, the rest kept (OTLP's partial success).
            var nameless = Otlp.SpansOf(request).LongCount(span => span.Name.Length == 0);
            return Task.FromResult(nameless == 0
                ? new ExportTraceServiceResponse()
                : new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = nameless, ErrorMessage = "stand-in dashboard: span without a name" } });
        }
    }

    private sealed class LogsReceiver(StandInDashboard dashboard) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        {
            dashboard.CheckKey(context);
            dashboard.Logs.Enqueue(request);
            return Task.FromResult(new ExportLogsServiceResponse());
        }
    }

    private sealed class MetricsReceiver(StandInDashboard dashboard) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            dashboard.CheckKey(context);
            dashboard.Metrics.Enqueue(request);
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}
