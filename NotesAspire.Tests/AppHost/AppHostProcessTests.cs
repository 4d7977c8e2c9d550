using System.Net;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The AppHost as a real process, as <c>dotnet run --project NotesAspire.AppHost</c> starts it: what it starts (DCP, the
/// dashboard, the bridge, the services, PostgreSQL) goes with it however it ends, the notes stay in its state folder, and
/// none of it inherits an exported DD_API_KEY.
/// Every process of one run carries a marker in its environment (DCP and what it starts inherit the AppHost's), so the
/// test finds them all, wherever they were re-parented. It runs alone, after the other tests: it starts whole
/// applications and reads the machine's process table, which the other AppHosts of the suite would crowd.
/// </summary>
[Collection(AppHostProcessCollection.Name)]
public sealed class AppHostProcessTests : IDisposable
{
    private const string Marker = "NOTESASPIRE_TEST_RUN";

    private readonly TemporaryFolder _state = TemporaryFolder.Create("apphost-process");
    private readonly string _run = Guid.NewGuid().ToString("N");

    [Fact]
    public async Task NothingOutlivesTheAppHostAndNotesOutliveIt()
    {
        string location;
        await using (var first = await StartAsync())
        {
            using var notes = first.CreateClient();
            using var created = await notes.PostAsync("/notes?desc=Kept", null);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            location = created.Headers.Location!.ToString();

            // Ctrl+C in a terminal.
            Assert.True(Signals.Send(first.ProcessId, Signals.SIGINT));
            Assert.True(await Eventually.IsTrue(() => OurProcesses().Count == 0), $"Left after SIGINT:{Environment.NewLine}{Report(first)}");
        }

        await using (var second = await StartAsync())
        {
            using var notes = second.CreateClient();
            Assert.Equal("(1, Kept)", await notes.GetStringAsync(location));

            // The hardest end: no chance to clean up; DCP, watching the AppHost's process, does it.
            Assert.True(Signals.Send(second.ProcessId, Signals.SIGKILL));
            Assert.True(await Eventually.IsTrue(() => OurProcesses().Count == 0), $"Left after SIGKILL:{Environment.NewLine}{Report(second)}");
        }
    }

    [Fact]
    public async Task AnExportedDatadogApiKeyReachesNoProcessTheAppHostStarts()
    {
        const string Key = "exported-dd-api-key-7c1e";
        var agent = $"http://127.0.0.1:{FreePorts.One()}";

        // As `export DD_API_KEY=…` before `dotnet run`; an OTLP endpoint for Datadog, so no agent container is wanted.
        await using var apphost = await StartAsync(new() { ["DD_API_KEY"] = Key, ["Datadog__OtlpEndpoint"] = agent });

        var started = OurProcesses().Select(LinuxProcesses.CommandLineOf).ToList();
        Assert.Contains(started, command => command.EndsWith("NotesAspire.Notes", StringComparison.Ordinal));
        Assert.Contains(started, command => command.Contains("NotesAspire.TelemetryBridge", StringComparison.Ordinal));
        Assert.Contains(started, command => command.Contains("Aspire.Dashboard", StringComparison.Ordinal));
        // The AppHost's own /proc environment is what it was started with; everything it started must lack the key.
        Assert.Equal([apphost.ProcessId], LinuxProcesses.WithEnvironment("DD_API_KEY", Key));
    }

    [RootFact]
    public async Task UnderAHardenedUmaskRootStillRunsPostgresInTheStateFolderItMakes()
    {
        // umask 077, as hardened machines give root: the folders the AppHost makes would be closed to PostgreSQL's user.
        var state = Path.Combine(_state.Path, "made", "state");

        await using var apphost = await StartAsync(new() { ["NOTESASPIRE_STATE_DIR"] = state }, umask: "077");
        using var notes = apphost.CreateClient();
        using var created = await notes.PostAsync("/notes?desc=Hardened", null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(File.Exists(Path.Combine(state, "postgres", "data", "PG_VERSION")));
    }

    public void Dispose()
    {
        foreach (var pid in OurProcesses())
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        _state.Dispose();
    }

    private async Task<ServiceProcess> StartAsync(Dictionary<string, string>? environment = null, string? umask = null)
    {
        var ports = FreePorts.Take(6);
        // Notes binds its public port itself (WithPublicHttpPort): the port users call is the process's own.
        var notes = new Uri($"http://127.0.0.1:{ports[4]}");
        var apphost = ServiceProcess.Launch("NotesAspire.AppHost", notes, variables =>
        {
            variables[Marker] = _run;
            variables.PutDashboardOn(ports[0], ports[1], ports[2], ports[3]);
            variables["NOTESASPIRE_STATE_DIR"] = _state.Path;
            variables["NotesAspire__Postgres"] = "local";
            // Leave 8080 and 9090 to the developer's own run: this one gets free ports.
            variables["Ports__notes"] = ports[4].ToString();
            variables["Ports__calendar"] = ports[5].ToString();
            foreach (var (name, value) in environment ?? [])
            {
                variables[name] = value;
            }
        }, umask);
        await apphost.AliveAsync();
        return apphost;
    }

    private IReadOnlyList<int> OurProcesses() => LinuxProcesses.WithEnvironment(Marker, _run);

    /// <summary>For a failure: the processes of this run still there, then what the AppHost printed.</summary>
    private string Report(ServiceProcess apphost) =>
        string.Join(Environment.NewLine, OurProcesses().Select(pid => $"{pid}: {LinuxProcesses.CommandLineOf(pid)}").Append(apphost.Output));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostProcessCollection
{
    public const string Name = "apphost-process";
}
