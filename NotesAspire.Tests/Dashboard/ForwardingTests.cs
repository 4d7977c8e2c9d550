using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using NotesAspire.Dashboard;
using NotesAspire.Dashboard.Telemetry;
using NotesAspire.Tests.AppHost;
using NotesAspire.Tests.Infrastructure;
using OpenTelemetry.Exporter;

namespace NotesAspire.Tests.Dashboard;

/// <summary>A dashboard that forwards what it accepts, over either protocol, to another OTLP/HTTP receiver: here a second dashboard.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private DashboardServer _agent = null!;
    private DashboardServer _dashboard = null!;
    private DashboardApiClient _agentApi = null!;

    public async Task InitializeAsync()
    {
        _agent = await DashboardServer.StartAsync(TestDashboards.OnFreePorts(), new TestResourceCatalog());
        _dashboard = await DashboardServer.StartAsync(TestDashboards.OnFreePorts() with { ForwardOtlpTo = _agent.OtlpHttpUrl }, new TestResourceCatalog());
        _agentApi = new DashboardApiClient(_agent.DashboardUrl);
    }

    public async Task DisposeAsync()
    {
        _agentApi.Dispose();
        await _dashboard.DisposeAsync();
        await _agent.DisposeAsync();
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SpansAndLogRecordsReachTheForwardedReceiver(OtlpExportProtocol protocol)
    {
        var service = $"forwarded-{protocol}-{Guid.NewGuid():N}";
        var endpoint = protocol == OtlpExportProtocol.Grpc ? _dashboard.OtlpGrpcUrl : _dashboard.OtlpHttpUrl;
        using var source = new ActivitySource(service);
        string traceId;
        using (var tracing = OtlpSenders.Tracing(service, source.Name, endpoint, protocol))
        using (var loggerFactory = OtlpSenders.Logging(service, endpoint, protocol))
        using (var activity = source.StartActivity("GET /notes", ActivityKind.Server)!)
        {
            loggerFactory.CreateLogger("Notes.Api").LogInformation("listing notes");
            traceId = activity.TraceId.ToHexString();
        }

        Assert.True(await Eventually.IsTrue(async () => await _agentApi.GetTraceAsync(traceId) is not null));
        Assert.True(await Eventually.IsTrue(async () => (await _agentApi.GetLogsAsync($"?service={service}")).Count == 1));
        using var dashboardApi = new DashboardApiClient(_dashboard.DashboardUrl);
        // The count grows once the receiver has answered, a moment after it stored what it got.
        ForwardingStats forwarding = null!;
        Assert.True(await Eventually.IsTrue(async () =>
        {
            forwarding = (await dashboardApi.Http.GetFromJsonAsync<TelemetryStats>("/api/stats", DashboardApiClient.Json))!.Forwarding!;
            return forwarding.Forwarded >= 2;
        }));
        Assert.Equal((0, 0), (forwarding.Dropped, forwarding.Failed));
    }

    [Fact]
    public async Task ReceiverThatStartsLateIsReportedUnreachableThenReachedAgain()
    {
        var reports = new ConcurrentQueue<string>();
        var port = PostgresFixture.FreeTcpPort();
        var options = TestDashboards.OnFreePorts() with
        {
            ForwardOtlpTo = new Uri($"http://127.0.0.1:{port}"),
            ForwardingReport = reports.Enqueue,
        };
        await using var dashboard = await DashboardServer.StartAsync(options, new TestResourceCatalog());
        using var source = new ActivitySource($"late-{Guid.NewGuid():N}");
        using var tracing = OtlpSenders.Tracing(source.Name, source.Name, dashboard.OtlpHttpUrl, OtlpExportProtocol.HttpProtobuf);

        source.StartActivity("before the receiver")!.Dispose();
        Assert.True(await Eventually.IsTrue(() => reports.Count == 1));
        await using var late = await DashboardServer.StartAsync(TestDashboards.OnFreePorts() with { OtlpHttpPort = port }, new TestResourceCatalog());
        source.StartActivity("after it started")!.Dispose();

        Assert.True(await Eventually.IsTrue(() => reports.Count == 2), string.Join(Environment.NewLine, reports));
        Assert.StartsWith($"cannot forward telemetry to http://127.0.0.1:{port}/: ", reports.First());
        Assert.Equal($"forwarding telemetry to http://127.0.0.1:{port}/ again.", reports.Last());
    }

    [Fact]
    public async Task DashboardThatDoesNotForwardSaysSoInItsStats()
    {
        var stats = await _agentApi.Http.GetFromJsonAsync<TelemetryStats>("/api/stats", DashboardApiClient.Json);

        Assert.Null(stats!.Forwarding);
    }
}
