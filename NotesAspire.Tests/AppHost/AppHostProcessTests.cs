using System.Collections.Concurrent;
using System.Diagnostics;
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
            using var notes = NotesClient();
            using var created = await notes.PostAsync("/notes?desc=Kept", null);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            location = created.Headers.Location!.ToString();

            // Ctrl+C in a terminal.
            Assert.True(Signals.Send(first.Id, Signals.SIGINT));
            Assert.True(await Eventually.IsTrue(() => OurProcesses().Count == 0), $"Left after SIGINT:{Environment.NewLine}{Report(first)}");
        }

        await using (var second = await StartAsync())
        {
            using var notes = NotesClient();
            Assert.Equal("(1, Kept)", await notes.GetStringAsync(location));

            // The hardest end: no chance to clean up; DCP, watching the AppHost's process, does it.
            Assert.True(Signals.Send(second.Id, Signals.SIGKILL));
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
        Assert.Equal([apphost.Id], LinuxProcesses.WithEnvironment("DD_API_KEY", Key));
    }

    public void Dispose()
    {
        foreach (var pid in OurProcesses())
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        _state.Dispose();
    }

    private async Task<RunningAppHost> StartAsync(Dictionary<string, string>? environment = null)
    {
        var ports = FreePorts.Take(6);
        // In a terminal, Ctrl+C meets SIGINT's default handling. A test run started in the background (a shell's `&`)
        // ignores SIGINT, every child inherits that, and .NET keeps an ignored SIGINT ignored: env puts it back.
        var startInfo = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", Repository.BuiltAssembly("NotesAspire.AppHost")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                [Marker] = _run,
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports[0]}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports[1]}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports[2]}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{ports[3]}",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["NOTESASPIRE_STATE_DIR"] = _state.Path,
                ["NotesAspire__Postgres"] = "local",
                // Leave 8080 and 9090 to the developer's own run: this one gets free ports.
                ["Ports__notes"] = ports[4].ToString(),
                ["Ports__calendar"] = ports[5].ToString(),
            },
        };
        foreach (var (name, value) in environment ?? [])
        {
            startInfo.Environment[name] = value;
        }

        var process = new RunningAppHost(Process.Start(startInfo)!);
        Assert.True(await Eventually.IsTrue(async () => await NotesAnswersAsync()), $"notes never answered:{Environment.NewLine}{Report(process)}");
        return process;
    }

    /// <summary>Notes' own address (DCP gives it a port of its own behind the proxy), read from its environment.</summary>
    private HttpClient NotesClient()
    {
        var notes = OurProcesses().Single(pid => LinuxProcesses.CommandLineOf(pid).EndsWith("NotesAspire.Notes", StringComparison.Ordinal));
        var url = LinuxProcesses.EnvironmentOf(notes)["ASPNETCORE_URLS"].Split(';')[0];
        return new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
    }

    private async Task<bool> NotesAnswersAsync()
    {
        try
        {
            using var notes = NotesClient();
            return (await notes.GetAsync("/health")).IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or TaskCanceledException or KeyNotFoundException or IOException)
        {
            return false;
        }
    }

    private IReadOnlyList<int> OurProcesses() => LinuxProcesses.WithEnvironment(Marker, _run);

    /// <summary>For a failure: the processes of this run still there, then the AppHost's last lines.</summary>
    private string Report(RunningAppHost apphost) =>
        string.Join(Environment.NewLine, OurProcesses().Select(pid => $"{pid}: {LinuxProcesses.CommandLineOf(pid)}").Append(apphost.Output));

    private sealed class RunningAppHost : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        public RunningAppHost(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
            process.ErrorDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public string Output => string.Join(Environment.NewLine, _output.TakeLast(100));

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostProcessCollection
{
    public const string Name = "apphost-process";
}
