using NotesAspire.Tests.AppHost;
using NotesAspire.Tests.Dashboard;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Telemetry;

/// <summary>An agent that is down costs the services nothing, and the Datadog API key never leaves the AppHost.</summary>
[Collection(AppHostCollection.Name)]
public sealed class UnreachableAgentTests(UnreachableAgentFixture fixture) : IClassFixture<UnreachableAgentFixture>, IDisposable
{
    private const string CannotForward = "cannot forward telemetry to";

    private readonly DashboardApiClient _dashboard = new(fixture.Instance.DashboardUrl);

    public void Dispose() => _dashboard.Dispose();

    [Fact]
    public async Task RequestsSucceedAndTheConsoleSaysAtMostOnceAMinuteThatTheAgentIsUnreachable()
    {
        var started = DateTime.UtcNow;
        for (var i = 0; i < 20; i++)
        {
            await NoteTraces.PostNoteWithDateAsync(fixture.Instance.NotesUrl);
        }

        await _dashboard.WaitForNoteTraceAsync(await NoteTraces.PostNoteWithDateAsync(fixture.Instance.NotesUrl));
        Assert.True(await Eventually.IsTrue(() => fixture.AppHost.Lines.Any(line => line.Contains(CannotForward))), fixture.AppHost.Output);
        // The whole shared fixture may run past a minute on a busy machine; then a second line is due, not a third.
        var reported = fixture.AppHost.Lines.Where(line => line.Contains(CannotForward)).ToList();
        Assert.InRange(reported.Count, 1, 1 + (int)(DateTime.UtcNow - started).TotalMinutes + 1);
        Assert.All(reported, line => Assert.Contains(fixture.AgentUrl.AbsoluteUri, line));
    }

    [Fact]
    public async Task ApiKeyAppearsNowhere()
    {
        await NoteTraces.PostNoteWithDateAsync(fixture.Instance.NotesUrl);
        Assert.True(await Eventually.IsTrue(() => fixture.AppHost.Lines.Any(line => line.Contains(CannotForward))), fixture.AppHost.Output);

        Assert.DoesNotContain(fixture.ApiKey, fixture.AppHost.Output);
        var api = new List<string> { "/api/resources", "/api/logs?limit=1000", "/api/traces?limit=1000", "/api/stats" };
        api.AddRange((await _dashboard.GetResourcesAsync()).Select(resource => $"/api/resources/{resource.Name}/console"));
        foreach (var path in api)
        {
            Assert.DoesNotContain(fixture.ApiKey, await _dashboard.Http.GetStringAsync(path));
        }

        var children = LinuxProcesses.Descendants(fixture.AppHost.ProcessId);
        Assert.Contains(fixture.AppHost.CurrentProcessId("notes")!.Value, children);
        Assert.Contains(fixture.AppHost.CurrentProcessId("calendar")!.Value, children);
        foreach (var child in children.Where(LinuxProcesses.IsAlive))
        {
            Assert.DoesNotContain(fixture.ApiKey, LinuxProcesses.EnvironmentOf(child).Values);
        }
    }
}
