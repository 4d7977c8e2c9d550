using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NotesAspire.Dashboard;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace NotesAspire.Tests.Dashboard;

public sealed class BoundedStoreTests : IAsyncLifetime
{
    private const int MaxTraces = 3;
    private const int MaxLogRecords = 4;
    private const int MaxSpansPerTrace = 4;
    private const int MaxSpans = 6;
    private DashboardServer _server = null!;
    private DashboardApiClient _api = null!;

    public async Task InitializeAsync()
    {
        var options = TestDashboards.OnFreePorts() with
        {
            MaxTraces = MaxTraces,
            MaxLogRecords = MaxLogRecords,
            MaxSpansPerTrace = MaxSpansPerTrace,
            MaxSpans = MaxSpans,
        };
        _server = await DashboardServer.StartAsync(options, new TestResourceCatalog());
        _api = new DashboardApiClient(_server.DashboardUrl);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task OldestTracesAreDroppedFirstPastTheLimit()
    {
        using var source = new ActivitySource($"bounded-{Guid.NewGuid():N}");
        using var tracing = OtlpSenders.Tracing("bounded", source.Name, _server.OtlpHttpUrl, OtlpExportProtocol.HttpProtobuf);
        var sent = Enumerable.Range(0, MaxTraces + 2).Select(_ => SendTrace(source, tracing, spans: 1)).ToList();

        var kept = await _api.GetTracesAsync("?limit=100");

        Assert.Equal(sent.Skip(2).Order(), kept.Select(t => t.TraceId).Order());
        Assert.Null(await _api.GetTraceAsync(sent[0]));
        var stats = _server.Telemetry.GetStats();
        Assert.Equal((MaxTraces, 2L), (stats.Traces, stats.EvictedTraces));
    }

    [Fact]
    public async Task OldestTracesAreDroppedWhenAllTracesTogetherHoldTooManySpans()
    {
        using var source = new ActivitySource($"bounded-spans-{Guid.NewGuid():N}");
        using var tracing = OtlpSenders.Tracing("bounded-spans", source.Name, _server.OtlpGrpcUrl, OtlpExportProtocol.Grpc);
        var first = SendTrace(source, tracing, spans: 3);
        var second = SendTrace(source, tracing, spans: 3);
        var third = SendTrace(source, tracing, spans: 2);

        var kept = await _api.GetTracesAsync();

        Assert.Equal(new[] { second, third }.Order(), kept.Select(t => t.TraceId).Order());
        Assert.Null(await _api.GetTraceAsync(first));
    }

    [Fact]
    public async Task SpansPastTheLimitOfTheirTraceAreRejected()
    {
        using var source = new ActivitySource($"bounded-trace-{Guid.NewGuid():N}");
        using var tracing = OtlpSenders.Tracing("bounded-trace", source.Name, _server.OtlpHttpUrl, OtlpExportProtocol.HttpProtobuf);

        var traceId = SendTrace(source, tracing, spans: MaxSpansPerTrace + 2);

        Assert.Equal(MaxSpansPerTrace, (await _api.GetTraceAsync(traceId))!.Spans.Count);
        Assert.Equal(2, _server.Telemetry.GetStats().RejectedSpans);
    }

    [Fact]
    public async Task OldestLogRecordsAreDroppedFirstPastTheLimit()
    {
        using (var loggerFactory = OtlpSenders.Logging("bounded-logs", _server.OtlpGrpcUrl, OtlpExportProtocol.Grpc))
        {
            var logger = loggerFactory.CreateLogger("Bounded");
            for (var i = 0; i < MaxLogRecords + 3; i++)
            {
                logger.LogInformation("record {Index}", i);
            }
        }

        var kept = await _api.GetLogsAsync("?limit=100");

        Assert.Equal(["record 6", "record 5", "record 4", "record 3"], kept.Select(l => l.Message));
    }

    /// <summary>A root span and its children, all stored by the time this returns.</summary>
    private static string SendTrace(ActivitySource source, TracerProvider tracing, int spans)
    {
        string traceId;
        using (var root = source.StartActivity("root", ActivityKind.Server)!)
        {
            for (var i = 1; i < spans; i++)
            {
                source.StartActivity($"child {i}")!.Stop();
            }

            traceId = root.TraceId.ToHexString();
        }

        return traceId;
    }
}
