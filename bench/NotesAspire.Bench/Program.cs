using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NotesAspire.Bench;

// Load benchmark of the notes service: see bench/README.md. Not a test: it prints numbers and the targets they meet.
// Usage: dotnet run -c Release --project bench/NotesAspire.Bench -- [--seconds 40] [--rounds 4] [--connections 16] [--no-apphost]
//   [--on-env KEY=VALUE]... [--bridge-env KEY=VALUE]... [--profile DIR]
//   --seconds: per mode and endpoint, in --rounds slices alternating with the other modes.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var seconds = Option("--seconds", 40);
var rounds = Option("--rounds", 4);
var connections = Option("--connections", 16);
var withAppHost = !args.Contains("--no-apphost");
// --profile DIR: dotnet-trace (cpu-sampling) of notes, and of the bridge when tracing is on, during the read benchmark.
var profileAt = Array.IndexOf(args, "--profile") is var at && at >= 0 ? args[at + 1] : null;
var duration = TimeSpan.FromSeconds(seconds);
var cores = Environment.ProcessorCount;
const int Notes = 10_000;

foreach (var tool in new[] { "wrk", "pgbench" })
{
    if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
    {
        Console.Error.WriteLine($"{tool} is not installed: apt-get install -y wrk postgresql-client (pgbench is in postgresql-client, or postgresql-contrib on older Debian).");
        return 1;
    }
}

var byId = $$"""
    request = function()
      return wrk.format("GET", "/notes?id=" .. math.random(1, {{Notes}}))
    end
    """;
var create = """
    request = function()
      return wrk.format("POST", "/notes?desc=bench")
    end
    """;
var list = """request = function() return wrk.format("GET", "/notes") end""";
const string ById = "GET /notes?id=N", List = "GET /notes (10,000 notes)", Create = "POST /notes?desc=…";

var results = new Dictionary<(string Mode, string Endpoint), LoadResult>();
var cpuPerRequest = new Dictionary<(string Mode, string Endpoint), double>();
var byRound = new Dictionary<string, List<string>>();
var lines = new List<string>();
var listFlat = new Dictionary<string, (long Before, long Half, long After, long Peak)>();
string bridgeLine = "", spansLine = "";
var bridgeOnPath = true;
double bridgeShare = 0, bridgeGrowth = 0, sinkShare = 0;
var spansKept = true;

await using (var postgres = new BenchPostgres())
{
    var connectionString = await postgres.StartAsync();
    // --on-env KEY=VALUE (repeatable): more environment for the traced services, to try a setting side by side;
    // --bridge-env KEY=VALUE: for the bridge, to try one of its settings against a run without it.
    var onEnv = Settings("--on-env");
    await using var sink = await TracingSink.StartAsync(Settings("--bridge-env"));
    var traced = new Dictionary<string, string>(sink.Environment);
    foreach (var (key, value) in onEnv)
    {
        traced[key] = value.Replace("{bridge-http}", sink.Bridge.Http.BaseAddress!.ToString().TrimEnd('/'))
            .Replace("{dashboard-http}", sink.DashboardHttp.ToString().TrimEnd('/'));
    }

    bridgeOnPath = !onEnv.Values.Any(value => value.Contains("{dashboard-http}", StringComparison.Ordinal));

    // Both sets of services run at once, on the same database, and the load alternates between them (and pgbench) in
    // short slices, several rounds: whatever else the machine does weighs on every mode alike.
    // --services-env KEY=VALUE: for both sets of services, to try a runtime setting on all of them side by side with
    // pgbench. In the traced set, the OTLP settings and --on-env win over it.
    var servicesEnv = Settings("--services-env");
    foreach (var (key, value) in servicesEnv)
    {
        traced.TryAdd(key, value);
    }

    await using var offApp = await BenchApp.StartAsync(connectionString, servicesEnv);
    await using var onApp = await BenchApp.StartAsync(connectionString, traced);
    var apps = new Dictionary<string, BenchApp> { ["off"] = offApp, ["on"] = onApp };
    var bridgePid = sink.Bridge.ProcessId;
    await Seed(connectionString, Notes);
    // Warm up until the JIT has settled: tiered compilation recompiles hot methods for a while after the first requests,
    // in the services and in the bridge, and a profile taken after a shorter warm-up still showed it.
    foreach (var app in apps.Values)
    {
        await Wrk.RunAsync(app.Notes.BaseAddress, byId, connections, TimeSpan.FromSeconds(6));
        await Wrk.RunAsync(app.Notes.BaseAddress, create, connections, TimeSpan.FromSeconds(3));
    }

    await Seed(connectionString, Notes);
    var bridgeRssBefore = ProcessStats.RssMiB(bridgePid);
    var profiles = profileAt is null ? [] : new[] { ("notes-off", offApp.Notes.ProcessId), ("notes-on", onApp.Notes.ProcessId), ("bridge-on", bridgePid) }
        .Select(target => Profile(target.Item2, Path.Combine(profileAt, $"{target.Item1}.nettrace"), seconds * 3)).ToList();
    var spansBefore = await sink.SettledSpansAsync();
    var bytesBefore = sink.DashboardTraceBytes;
    var tracedReads = (await SideBySide(ById, byId, PgBench.SelectById)).Where(slice => slice.Mode == "on").ToList();
    await Task.WhenAll(profiles);
    var onSeconds = tracedReads.Sum(slice => slice.Seconds);
    bridgeShare = tracedReads.Sum(slice => slice.BridgeCpu) / (onSeconds * cores);
    sinkShare = tracedReads.Sum(slice => slice.BenchCpu) / (onSeconds * cores);
    var readSpans = await sink.SettledSpansAsync() - spansBefore;
    var readBytes = sink.DashboardTraceBytes - bytesBefore;
    spansLine = $"spans the dashboard got during {ById}: {readSpans:N0} for {results[("on", ById)].Requests:N0} requests ({(double)readSpans / results[("on", ById)].Requests:F3} a request; 2 expected), {readBytes / Math.Max(readSpans, 1):N0} bytes a span";
    spansKept &= readSpans >= 2 * results[("on", ById)].Requests;

    spansBefore = await sink.SettledSpansAsync();
    bytesBefore = sink.DashboardTraceBytes;
    await SideBySide(Create, create, PgBench.Insert);
    var createSpans = await sink.SettledSpansAsync() - spansBefore;
    var createBytes = sink.DashboardTraceBytes - bytesBefore;
    spansLine += $"; during {Create}: {createSpans:N0} for {results[("on", Create)].Requests:N0} ({(double)createSpans / results[("on", Create)].Requests:F3} a request; 3 expected), {createBytes / Math.Max(createSpans, 1):N0} bytes a span";
    spansKept &= createSpans >= 3 * results[("on", Create)].Requests;

    // GET /notes in two halves per mode: the process's memory after the second must not have grown past the first's.
    await Seed(connectionString, Notes);
    foreach (var (mode, app) in apps)
    {
        var notesPid = app.Notes.ProcessId;
        var before = ProcessStats.RssMiB(notesPid);
        var half = TimeSpan.FromSeconds(Math.Max(1, seconds / 2));
        var first = await Wrk.RunAsync(app.Notes.BaseAddress, list, 4, half);
        var afterHalf = ProcessStats.RssMiB(notesPid);
        var second = await Measured(mode, List, notesPid, () => Wrk.RunAsync(app.Notes.BaseAddress, list, 4, half));
        results[(mode, List)] = second with { RequestsPerSecond = (first.Requests + second.Requests) / (2 * half.TotalSeconds) };
        listFlat[mode] = (before, afterHalf, ProcessStats.RssMiB(notesPid), ProcessStats.PeakMiB(notesPid));
    }

    var stats = await sink.DashboardStatsAsync();
    spansKept &= stats.Dropped == 0 && stats.Rejected == 0;
    var bridgeRssAfter = ProcessStats.RssMiB(bridgePid);
    bridgeGrowth = (double)bridgeRssAfter / bridgeRssBefore;
    bridgeLine = $"bridge: {bridgeShare:P1} of the machine's CPU during {ById}; exports to the dashboard received {stats.Received:N0}, sent {stats.Sent:N0}, dropped {stats.Dropped}, rejected {stats.Rejected}, queued {stats.Queued}; RSS {bridgeRssBefore} MiB before the reads, {bridgeRssAfter} MiB at the end";

    // Each slice's load, with the CPU the notes process, the bridge and this process (the stand-in dashboard) spent in it.
    async Task<List<Slice>> SideBySide(string endpoint, string script, string pgScript)
    {
        var slice = TimeSpan.FromSeconds(Math.Max(1, seconds / rounds));
        var pgbench = new List<LoadResult>();
        var slices = new List<Slice>();
        // The share of the machine nothing used during a slice (a thread spinning for work counts as use): how much the
        // cores had left, next to pgbench's own slices.
        var idle = new Dictionary<(int Round, string Mode), double>();
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? new[] { "off", "on", "pgbench" } : ["pgbench", "on", "off"];
            foreach (var mode in order)
            {
                var (idleBefore, clock) = (ProcessStats.MachineIdleSeconds(), Stopwatch.StartNew());
                if (mode == "pgbench")
                {
                    var tps = await PgBench.RunAsync(connectionString, pgScript, connections, slice);
                    pgbench.Add(new LoadResult(tps, 0, 0, 0, (long)(tps * slice.TotalSeconds)));
                }
                else
                {
                    var pid = apps[mode].Notes.ProcessId;
                    var (notes, bridge, bench) = (ProcessStats.CpuSeconds(pid), ProcessStats.CpuSeconds(bridgePid), ProcessStats.CpuSeconds(Environment.ProcessId));
                    var result = await Wrk.RunAsync(apps[mode].Notes.BaseAddress, script, connections, slice);
                    slices.Add(new Slice(round, mode, result, ProcessStats.CpuSeconds(pid) - notes, ProcessStats.CpuSeconds(bridgePid) - bridge,
                        ProcessStats.CpuSeconds(Environment.ProcessId) - bench, clock.Elapsed.TotalSeconds));
                }

                idle[(round, mode)] = (ProcessStats.MachineIdleSeconds() - idleBefore) / (clock.Elapsed.TotalSeconds * ProcessStats.OnlineCpus);
            }
        }

        // Each round's off and on ran seconds apart: round by round, their ratio shows how far the machine moved.
        byRound[endpoint] = Enumerable.Range(0, rounds).Select(round =>
        {
            var (off, on) = (slices.Single(s => s.Round == round && s.Mode == "off"), slices.Single(s => s.Round == round && s.Mode == "on"));
            return $"{on.Load.RequestsPerSecond / off.Load.RequestsPerSecond:P0} (off {off.Load.RequestsPerSecond:F0} req/s, {off.NotesCpuPerRequest:F0} µs; on {on.Load.RequestsPerSecond:F0}, {on.NotesCpuPerRequest:F0} µs; bridge {on.BridgeCpu / (on.Seconds * cores):P1}, dashboard {on.BenchCpu / (on.Seconds * cores):P1}; machine idle: off {idle[(round, "off")]:P0}, on {idle[(round, "on")]:P0}, pgbench {idle[(round, "pgbench")]:P0})";
        }).ToList();
        results[("pgbench", endpoint)] = Pooled(pgbench);
        foreach (var mode in new[] { "off", "on" })
        {
            var ofMode = slices.Where(s => s.Mode == mode).ToList();
            results[(mode, endpoint)] = Pooled(ofMode.Select(s => s.Load).ToList());
            cpuPerRequest[(mode, endpoint)] = ofMode.Sum(s => s.NotesCpu) * 1e6 / Math.Max(1, ofMode.Sum(s => s.Load.Requests));
        }

        return slices;
    }
}

var otelCheck = "";
var sameAppHostPort = false;
if (withAppHost)
{
    // Aspire.Hosting.Testing logs every resource's console to ours: the table is what this program prints.
    var console = Console.Out;
    Console.SetOut(TextWriter.Null);
    try
    {
        await using var apphost = await AppHostRun.StartAsync();
        await Seed((await apphost.ConnectionStringAsync())!, Notes);
        var (direct, published) = (apphost.Direct, apphost.Public);
        otelCheck = $"the AppHost gave notes: {string.Join(' ', apphost.OtelEnvironment)}";
        await Wrk.RunAsync(published, byId, connections, TimeSpan.FromSeconds(3));
        var slice = TimeSpan.FromSeconds(Math.Max(1, seconds / rounds));
        foreach (var (endpoint, script) in new[] { (ById, byId), (Create, create) })
        {
            var runs = new Dictionary<string, List<LoadResult>> { ["apphost direct"] = [], ["apphost public"] = [] };
            for (var round = 0; round < rounds; round++)
            {
                foreach (var mode in round % 2 == 0 ? new[] { "apphost direct", "apphost public" } : ["apphost public", "apphost direct"])
                {
                    runs[mode].Add(await Wrk.RunAsync(mode == "apphost direct" ? direct : published, script, connections, slice));
                }
            }

            foreach (var (mode, slices) in runs)
            {
                results[(mode, endpoint)] = Pooled(slices);
            }
        }

        sameAppHostPort = direct.Port == published.Port;
        lines.Add($"AppHost: notes listens on {direct.Port}, users call {published.Port}{(direct.Port == published.Port ? " (the same port: not proxied)" : " (DCP's proxy)")}");
    }
    finally
    {
        Console.SetOut(console);
    }
}

Console.WriteLine();
Console.WriteLine($"notes service, Release, {connections} connections, {seconds} s a run, {cores} cores, load average now {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine($"tracing on = every request traced, exporting OTLP/HTTP {(bridgeOnPath ? "to the telemetry bridge (its own process), as under the AppHost, which sends on to a dashboard" : "straight to the stand-in dashboard, without the bridge (--on-env ...{dashboard-http})")}");
Console.WriteLine($"{"endpoint",-27} {"off req/s",9} {"p50 ms",7} {"p99 ms",7} {"CPU µs",7} | {"on req/s",9} {"p50 ms",7} {"p99 ms",7} {"CPU µs",7} | {"on/off",6} | {"pgbench",8} {"off/pg",6}");
foreach (var endpoint in new[] { ById, List, Create })
{
    var (off, on) = (results[("off", endpoint)], results[("on", endpoint)]);
    var pg = results.TryGetValue(("pgbench", endpoint), out var p) ? p.RequestsPerSecond : (double?)null;
    Console.WriteLine($"{endpoint,-27} {off.RequestsPerSecond,9:F0} {off.P50Ms,7:F2} {off.P99Ms,7:F2} {cpuPerRequest[("off", endpoint)],7:F0} | {on.RequestsPerSecond,9:F0} {on.P50Ms,7:F2} {on.P99Ms,7:F2} {cpuPerRequest[("on", endpoint)],7:F0} | {on.RequestsPerSecond / off.RequestsPerSecond,6:P0} | {(pg is null ? "" : pg.Value.ToString("F0")),8} {(pg is null ? "" : (off.RequestsPerSecond / pg.Value).ToString("P0")),6}");
    if (byRound.TryGetValue(endpoint, out var ratios))
    {
        ratios.Select((line, round) => $"  round {round + 1}: on/off {line}").ToList().ForEach(Console.WriteLine);
    }

    if (off.Errors + on.Errors > 0)
    {
        Console.WriteLine($"  errors: {off.Errors} with tracing off, {on.Errors} with tracing on");
    }
}

if (withAppHost)
{
    foreach (var endpoint in new[] { ById, Create })
    {
        var (direct, published) = (results[("apphost direct", endpoint)], results[("apphost public", endpoint)]);
        Console.WriteLine($"AppHost {endpoint,-19} direct {direct.RequestsPerSecond,9:F0} ({direct.P50Ms:F2} / {direct.P99Ms:F2} ms) | public port {published.RequestsPerSecond,9:F0} ({published.P50Ms:F2} / {published.P99Ms:F2} ms) | {published.RequestsPerSecond / direct.RequestsPerSecond:P0}{(direct.Errors + published.Errors > 0 ? $" errors {direct.Errors}/{published.Errors}" : "")}");
    }
}

lines.ForEach(Console.WriteLine);
foreach (var (mode, m) in listFlat)
{
    Console.WriteLine($"memory of notes during GET /notes, tracing {mode}: RSS {m.Before} MiB before, {m.Half} MiB halfway, {m.After} MiB after, peak {m.Peak} MiB");
}

Console.WriteLine(spansLine);
Console.WriteLine(bridgeLine);
if (otelCheck.Length > 0)
{
    Console.WriteLine(otelCheck);
}

Console.WriteLine();
Target($"tracing keeps 90% of the untraced throughput of {ById}", results[("on", ById)].RequestsPerSecond / results[("off", ById)].RequestsPerSecond, 0.90);
Target($"tracing keeps 90% of the untraced throughput of {Create}", results[("on", Create)].RequestsPerSecond / results[("off", Create)].RequestsPerSecond, 0.90);
Target("reading a note by id (traced) reaches 35% of pgbench's select rate", results[("on", ById)].RequestsPerSecond / results[("pgbench", ById)].RequestsPerSecond, 0.35);
Target("creating a note (traced) reaches 60% of pgbench's insert rate", results[("on", Create)].RequestsPerSecond / results[("pgbench", Create)].RequestsPerSecond, 0.60);
if (withAppHost)
{
    foreach (var endpoint in new[] { ById, Create })
    {
        var ratio = results[("apphost public", endpoint)].RequestsPerSecond / results[("apphost direct", endpoint)].RequestsPerSecond;
        if (sameAppHostPort)
        {
            // One port, one path: the ratio is 100% by construction, and what the two series differ by is the machine's noise.
            Check($"through the AppHost's public port, 90% of the direct rate of {endpoint}", true, $"users call the port notes itself listens on (not proxied); two series on it: {ratio:P0}");
        }
        else
        {
            Target($"through the AppHost's public port, 90% of the direct rate of {endpoint}", ratio, 0.90);
        }
    }
}

foreach (var (mode, m) in listFlat)
{
    // Flat: the second half of the run ends within 10% (or 16 MiB) of where the first half ended.
    Check($"GET /notes keeps the memory of notes flat (tracing {mode})", m.After <= Math.Max(m.Half * 1.10, m.Half + 16), $"{m.Half} → {m.After} MiB");
}

if (bridgeOnPath)
{
    Check("the bridge keeps up: every request's spans reach the dashboard, none dropped", spansKept, spansLine.Length > 0 ? "see above" : "");
    Check("the bridge's memory does not grow (RSS after the creates within 25% of before the reads)", bridgeGrowth <= 1.25, $"×{bridgeGrowth:F2}");
    Console.WriteLine($"info the bridge's CPU share at the read benchmark's rate: {bridgeShare:P1} of {cores} cores (the stand-in dashboard, in this process: {sinkShare:P1})");
}
else
{
    Check("every request's spans reach the dashboard", spansKept, spansLine.Length > 0 ? "see above" : "");
    Console.WriteLine($"info the bridge is not on the path (--on-env ...{{dashboard-http}}); the stand-in dashboard's CPU share at the read benchmark's rate: {sinkShare:P1} of {cores} cores");
}
return 0;

async Task<LoadResult> Measured(string mode, string endpoint, int pid, Func<Task<LoadResult>> run)
{
    var cpu = ProcessStats.CpuSeconds(pid);
    var result = await run();
    cpuPerRequest[(mode, endpoint)] = (ProcessStats.CpuSeconds(pid) - cpu) * 1e6 / Math.Max(1, result.Requests);
    return result;
}

async Task Profile(int pid, string file, int seconds)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
    await Processes.RunAsync(File.Exists(tool) ? tool : "dotnet-trace",
        ["collect", "-p", pid.ToString(), "--profile", "dotnet-sampled-thread-time", "--duration", TimeSpan.FromSeconds(Math.Max(2, seconds - 2)).ToString(@"hh\:mm\:ss"), "-o", file]);
}

// Slices of one mode as one result: the mean rate of the slices, the worst p99, the sums.
static LoadResult Pooled(IReadOnlyList<LoadResult> slices) => new(
    slices.Average(slice => slice.RequestsPerSecond),
    slices.Average(slice => slice.P50Ms),
    slices.Max(slice => slice.P99Ms),
    slices.Sum(slice => slice.Errors),
    slices.Sum(slice => slice.Requests));

// One decimal: a ratio a hair under its target would read as the target itself, beside MISS.
static void Target(string what, double ratio, double target) =>
    Console.WriteLine($"{(ratio >= target ? "met " : "MISS")} {what}: {ratio:P1}");

static void Check(string what, bool met, string detail) =>
    Console.WriteLine($"{(met ? "met " : "MISS")} {what}: {detail}");

static async Task Seed(string connectionString, int notes)
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await using var batch = dataSource.CreateBatch();
    batch.BatchCommands.Add(new NpgsqlBatchCommand("TRUNCATE notes RESTART IDENTITY"));
    batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO notes (description) SELECT 'note number ' || n FROM generate_series(1, $1) AS n")
    {
        Parameters = { new NpgsqlParameter<int> { TypedValue = notes } },
    });
    await batch.ExecuteNonQueryAsync();
    await using var analyze = dataSource.CreateCommand("VACUUM ANALYZE notes");
    await analyze.ExecuteNonQueryAsync();
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}

// Every KEY=VALUE given after the (repeatable) option; the last one of a key counts.
Dictionary<string, string> Settings(string name)
{
    var settings = new Dictionary<string, string>();
    foreach (var (_, setting) in args.Zip(args.Skip(1)).Where(pair => pair.First == name))
    {
        settings[setting[..setting.IndexOf('=')]] = setting[(setting.IndexOf('=') + 1)..];
    }

    return settings;
}

/// <summary>One mode's share of a round: its load, and the CPU seconds notes, the bridge and the bench spent meanwhile.</summary>
internal sealed record Slice(int Round, string Mode, LoadResult Load, double NotesCpu, double BridgeCpu, double BenchCpu, double Seconds)
{
    public double NotesCpuPerRequest => NotesCpu * 1e6 / Math.Max(1, Load.Requests);
}
