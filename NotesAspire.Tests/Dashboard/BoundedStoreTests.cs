using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NotesAspire.Dashboard;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace NotesAspire.Tests.Dashboard;

public sealed class BoundedStoreTests : IAsyncLifetime
{
    private const int MaxTraces = 3;
    private const int MaxLogRecords = 4;
    private DashboardServer _server = null!;
    private DashboardApiClient _api = null!;

    public async Task InitializeAsync()
    {
        var options = TestDashboards.OnFreePorts() with { MaxTraces = MaxTraces, MaxLogRecords = MaxLogRecords };
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
        var sent = new List<string>();
        for (var i = 0; i < MaxTraces + 2; i++)
        {
            using var activity = source.StartActivity($"request {i}", ActivityKind.Server)!;
            sent.Add(activity.TraceId.ToHexString());
            activity.Stop();
            // One export per trace, so arrival order is sending order.
            Assert.True(tracing.ForceFlush());
        }

        var kept = await _api.GetTracesAsync("?limit=100");

        Assert.Equal(sent.Skip(2).Order(), kept.Select(t => t.TraceId).Order());
        Assert.Null(await _api.GetTraceAsync(sent[0]));
        var stats = _server.Telemetry.GetStats();
        Assert.Equal((MaxTraces, 2L), (stats.Traces, stats.EvictedTraces));
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
}
