using System.Net.Http.Json;
using NotesAspire.Dashboard.Telemetry;
using NotesAspire.Tests.AppHost;
using NotesAspire.Tests.Dashboard;

namespace NotesAspire.Tests.Telemetry;

/// <summary>The dashboard hands the services' telemetry on to a Datadog Agent; the services know only the dashboard.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DatadogForwardingTests(StandInAgentFixture fixture) : IClassFixture<StandInAgentFixture>, IDisposable
{
    private readonly DashboardApiClient _dashboard = new(fixture.Instance.DashboardUrl);
    private readonly DashboardApiClient _agent = new(fixture.Agent.DashboardUrl);

    public void Dispose()
    {
        _dashboard.Dispose();
        _agent.Dispose();
    }

    [Fact]
    public async Task TraceReachesBothTheDashboardAndTheAgent()
    {
        var noteId = await NoteTraces.PostNoteWithDateAsync(fixture.Instance.NotesUrl);

        var inDashboard = await _dashboard.WaitForNoteTraceAsync(noteId);
        var inAgent = await _agent.WaitForNoteTraceAsync(noteId);

        Assert.Equal(inDashboard.Summary.TraceId, inAgent.Summary.TraceId);
        Assert.Equal(["calendar", "notes"], inAgent.Summary.Services.Order());
        var stats = await _dashboard.Http.GetFromJsonAsync<TelemetryStats>("/api/stats", DashboardApiClient.Json);
        Assert.Equal(fixture.AgentUrl.AbsoluteUri, stats!.Forwarding!.Target);
        Assert.True(stats.Forwarding.Forwarded > 0);
    }

    [Fact]
    public void ServicesSendOnlyToTheDashboard()
    {
        Assert.Contains($"Datadog: forwarding telemetry to {fixture.AgentUrl.AbsoluteUri}", fixture.AppHost.Lines);
        foreach (var service in new[] { "notes", "calendar" })
        {
            var environment = LinuxProcesses.EnvironmentOf(fixture.AppHost.CurrentProcessId(service)!.Value);

            Assert.Equal($"http://127.0.0.1:{fixture.Instance.OtlpGrpcPort}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        }
    }
}
