using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NotesAspire.Bench;

// Load benchmark of the notes service: see bench/README.md. Not a test: it prints numbers and the targets they meet.
// Usage: dotnet run -c Release --project bench/NotesAspire.Bench -- [--seconds 60] [--rounds 12] [--pairs 3] [--connections 16]
//   [--no-apphost] [--on-env KEY=VALUE]... [--services-env KEY=VALUE]... [--bridge-env KEY=VALUE]... [--profile DIR]
//   --seconds: per mode and endpoint, in --rounds slices alternating with the other modes;
//   --pairs: fresh pairs of untraced and traced services, each for an equal share of the rounds.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var seconds = Option("--seconds", 60);
var rounds = Option("--rounds", 12);
var pairs = Option("--pairs", 3);
var connections = Option("--connections", 16);
var withAppHost = !args.Contains("--no-apphost");
// --profile DIR: dotnet-trace (cpu-sampling) of notes, and of the bridge when tracing is on, during the first pair's reads.
var profileAt = Array.IndexOf(args, "--profile") is var at && at >= 0 ? args[at + 1] : null;
var slice = TimeSpan.FromSeconds(Math.Max(1, seconds / rounds));
var cores = Environment.ProcessorCount;
const int Notes = 10_000;
var (leadIn, phaseWarmUp) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

if (pairs < 1 || rounds % pairs != 0)
{
    Console.Error.WriteLine($"--rounds ({rounds}) must be a multiple of --pairs ({pairs}): each pair of processes runs as many rounds.");
    return 1;
}

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
var slicesOf = new Dictionary<string, List<Slice>> { [ById] = [], [Create] = [] };
var byRound = new Dictionary<string, List<string>>();
var lines = new List<string>();
var listFlat = new Dictionary<string, (long Before, long Half, long After, long Peak)>();
var spans = new Dictionary<string, (long Spans, long Bytes)> { [ById] = (0, 0), [Create] = (0, 0) };
var warmUpTraced = new Dictionary<string, long> { [ById] = 0, [Create] = 0 };
string bridgeLine = "", spansLine = "";
var bridgeOnPath = true;
double bridgeShare = 0, sinkShare = 0;
List<long> bridgeRssPeaks = [];
var spansKept = true;

await using (var postgres = new BenchPostgres())
{
    var connectionString = await postgres.StartAsync();
    // --on-env KEY=VALUE (repeatable): more environment for the traced services, to try a setting side by side;
    // --bridge-env KEY=VALUE: for the bridge, to try one of its settings against a run without it. In a value,
    // {dashboard-grpc}, {dashboard-http} and (--on-env only) {bridge-http} are addresses (TracingSink.Expand).
    var onEnv = Settings("--on-env");
    await using var sink = await TracingSink.StartAsync(Settings("--bridge-env"));
    var traced = new Dictionary<string, string>(sink.Environment);
    foreach (var (key, value) in onEnv)
    {
        traced[key] = sink.Expand(value);
    }

    bridgeOnPath = !onEnv.Values.Any(value => value.Contains("{dashboard-http}", StringComparison.Ordinal));

    // --services-env KEY=VALUE: for both sets of services, to try a runtime setting on all of them side by side with
    // pgbench. In the traced set, the OTLP settings and --on-env win over it.
    var servicesEnv = Settings("--services-env");
    foreach (var (key, value) in servicesEnv)
    {
        traced.TryAdd(key, value);
    }

    var bridgePid = sink.Bridge.ProcessId;
    long bridgeRssBefore = 0;
    // The bridge's RSS after every slice, by pair: each pair sends it the same load.
    var bridgeRssOfPair = new List<List<long>>();
    var environments = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["off"] = servicesEnv, ["on"] = traced };
    // Both sets of services run at once, on the same database, and the load alternates between them and pgbench in
    // short slices: whatever else the machine does weighs on every mode alike. Two processes of one build can differ by
    // several percent for their whole life (bench/README.md, item 27), so each pair of sets serves only its share of the
    // rounds, and the sets take turns at starting first.
    for (var pair = 0; pair < pairs; pair++)
    {
        var startOrder = pair % 2 == 0 ? new[] { "off", "on" } : ["on", "off"];
        var apps = new Dictionary<string, BenchApp>();
        try
        {
            foreach (var mode in startOrder)
            {
                apps[mode] = await BenchApp.StartAsync(connectionString, environments[mode]);
            }

            // Warm up until the JIT has settled: tiered compilation recompiles hot methods for a while after the first
            // requests, in the services and in the bridge, and a profile taken after a shorter warm-up still showed it.
            foreach (var mode in startOrder)
            {
                await Wrk.RunAsync(apps[mode].Notes.BaseAddress, byId, connections, TimeSpan.FromSeconds(6));
                await Wrk.RunAsync(apps[mode].Notes.BaseAddress, create, connections, TimeSpan.FromSeconds(3));
            }

            await Seed(connectionString, Notes);
            if (pair == 0)
            {
                bridgeRssBefore = ProcessStats.RssMiB(bridgePid);
            }

            var ofPair = Enumerable.Range(pair * rounds / pairs, rounds / pairs).ToList();
            bridgeRssOfPair.Add([]);
            var profiles = profileAt is null || pair > 0 ? [] : new[] { ("notes-off", apps["off"].Notes.ProcessId), ("notes-on", apps["on"].Notes.ProcessId), ("bridge-on", bridgePid) }
                .Select(target => Profile(target.Item2, Path.Combine(profileAt, $"{target.Item1}.nettrace"), (int)(3 * (phaseWarmUp + (slice + leadIn) * ofPair.Count)).TotalSeconds)).ToList();
            await SideBySide(apps, pair, ofPair, ById, byId, PgBench.SelectById);
            await Task.WhenAll(profiles);
            await SideBySide(apps, pair, ofPair, Create, create, PgBench.Insert);

            // GET /notes in two halves per mode, on the last pair: the process's memory after the second must not have
            // grown past the first's.
            if (pair == pairs - 1)
            {
                await Seed(connectionString, Notes);
                foreach (var (mode, app) in apps)
                {
                    var notesPid = app.Notes.ProcessId;
                    var before = ProcessStats.RssMiB(notesPid);
                    var half = 2 * slice;
                    var first = await Wrk.RunAsync(app.Notes.BaseAddress, list, 4, half);
                    var afterHalf = ProcessStats.RssMiB(notesPid);
                    var cpu = ProcessStats.CpuSeconds(notesPid);
                    var second = await Wrk.RunAsync(app.Notes.BaseAddress, list, 4, half);
                    cpuPerRequest[(mode, List)] = (ProcessStats.CpuSeconds(notesPid) - cpu) * 1e6 / Math.Max(1, second.Requests);
                    results[(mode, List)] = second with { RequestsPerSecond = (first.Requests + second.Requests) / (2 * half.TotalSeconds) };
                    listFlat[mode] = (before, afterHalf, ProcessStats.RssMiB(notesPid), ProcessStats.PeakMiB(notesPid));
                }
            }
        }
        finally
        {
            foreach (var app in apps.Values)
            {
                await app.DisposeAsync();
            }
        }
    }

    foreach (var endpoint in slicesOf.Keys)
    {
        Summarise(endpoint);
    }

    var tracedReads = slicesOf[ById].Where(s => s.Mode == "on").ToList();
    var onSeconds = tracedReads.Sum(s => s.Seconds);
    bridgeShare = tracedReads.Sum(s => s.BridgeCpu) / (onSeconds * cores);
    sinkShare = tracedReads.Sum(s => s.BenchCpu) / (onSeconds * cores);
    // Every traced request since the pair's warm-up has its spans at the dashboard: the phases' warm-ups' and the lead-ins' too.
    var (reads, creates) = (TracedRequests(ById), TracedRequests(Create));
    spansLine = $"spans the dashboard got during {ById}: {spans[ById].Spans:N0} for {reads:N0} requests ({(double)spans[ById].Spans / reads:F3} a request; 2 expected), {spans[ById].Bytes / Math.Max(spans[ById].Spans, 1):N0} bytes a span"
        + $"; during {Create}: {spans[Create].Spans:N0} for {creates:N0} ({(double)spans[Create].Spans / creates:F3} a request; 3 expected), {spans[Create].Bytes / Math.Max(spans[Create].Spans, 1):N0} bytes a span";
    spansKept &= spans[ById].Spans >= 2 * reads && spans[Create].Spans >= 3 * creates;

    var stats = await sink.DashboardStatsAsync();
    spansKept &= stats.Dropped == 0 && stats.Rejected == 0;
    // A bridge that keeps something per request grows pair after pair; one that has settled peaks in the last pair about
    // where it peaked in the first (its heap sizes itself during the first pair's reads).
    bridgeRssPeaks = [.. bridgeRssOfPair.Select(samples => samples.Max())];
    bridgeLine = $"bridge: {bridgeShare:P1} of the machine's CPU during {ById}; exports to the dashboard received {stats.Received:N0}, sent {stats.Sent:N0}, dropped {stats.Dropped}, rejected {stats.Rejected}, queued {stats.Queued}; " +
        $"RSS {bridgeRssBefore} MiB before the reads, at most {string.Join(", ", bridgeRssPeaks)} MiB in each pair, {ProcessStats.RssMiB(bridgePid)} MiB at the end";

    // One pair's rounds of an endpoint: each slice's load, with the CPU the notes process, the bridge and this process
    // (the stand-in dashboard) spent in it, and the spans the dashboard got meanwhile.
    async Task SideBySide(Dictionary<string, BenchApp> apps, int pair, List<int> ofPair, string endpoint, string script, string pgScript)
    {
        var (spansBefore, bytesBefore) = (await sink.SettledSpansAsync(), sink.DashboardTraceBytes);
        async Task<LoadResult> RunAsync(string mode, TimeSpan length)
        {
            if (mode != "pgbench")
            {
                return await Wrk.RunAsync(apps[mode].Notes.BaseAddress, script, connections, length);
            }

            var tps = await PgBench.RunAsync(connectionString, pgScript, connections, length);
            return new LoadResult(tps, 0, 0, 0, (long)(tps * length.TotalSeconds));
        }

        // Every mode gets a few seconds of the endpoint's load before the pair's first round, unmeasured: whichever mode
        // came first after the change of load was slow even after its lead-in (bench/README.md, item 29).
        foreach (var mode in BalancedOrder(ofPair[0]))
        {
            var warmUp = await RunAsync(mode, phaseWarmUp);
            warmUpTraced[endpoint] += mode == "on" ? warmUp.Requests : 0;
        }

        foreach (var round in ofPair)
        {
            foreach (var mode in BalancedOrder(round))
            {
                // A second of the same load first, unmeasured: a slice measures the mode at work, not its first second
                // after a pause or after the other mode's load (bench/README.md, item 28).
                var leadInRequests = (await RunAsync(mode, leadIn)).Requests;
                var (idleBefore, clock) = (ProcessStats.MachineIdleSeconds(), Stopwatch.StartNew());
                var notesPid = mode == "pgbench" ? 0 : apps[mode].Notes.ProcessId;
                double NotesCpu() => notesPid == 0 ? 0 : ProcessStats.CpuSeconds(notesPid);
                var (notes, bridge, bench) = (NotesCpu(), ProcessStats.CpuSeconds(bridgePid), ProcessStats.CpuSeconds(Environment.ProcessId));
                var load = await RunAsync(mode, slice);
                var elapsed = clock.Elapsed.TotalSeconds;
                // The share of the machine nothing used during the slice (a thread spinning for work counts as use): how
                // much the cores had left, next to pgbench's own slices.
                var idle = (ProcessStats.MachineIdleSeconds() - idleBefore) / (elapsed * ProcessStats.OnlineCpus);
                slicesOf[endpoint].Add(new Slice(round, pair, mode, load, leadInRequests, NotesCpu() - notes,
                    ProcessStats.CpuSeconds(bridgePid) - bridge, ProcessStats.CpuSeconds(Environment.ProcessId) - bench, elapsed, idle));
                bridgeRssOfPair[pair].Add(ProcessStats.RssMiB(bridgePid));
            }
        }

        var (spansAfter, bytesAfter) = (await sink.SettledSpansAsync(), sink.DashboardTraceBytes);
        spans[endpoint] = (spans[endpoint].Spans + spansAfter - spansBefore, spans[endpoint].Bytes + bytesAfter - bytesBefore);
    }
}

long TracedRequests(string endpoint) => warmUpTraced[endpoint] + slicesOf[endpoint].Where(s => s.Mode == "on").Sum(s => s.Load.Requests + s.LeadInRequests);

// Every slice of a mode pooled; and round by round, off's and on's, which ran seconds apart: how far the machine moved.
void Summarise(string endpoint)
{
    var slices = slicesOf[endpoint];
    byRound[endpoint] = slices.GroupBy(s => s.Round).Select(round =>
    {
        var (off, on, pg) = (round.Single(s => s.Mode == "off"), round.Single(s => s.Mode == "on"), round.Single(s => s.Mode == "pgbench"));
        return $"{on.Load.RequestsPerSecond / off.Load.RequestsPerSecond:P0} (pair {off.Pair + 1}, {string.Join(", ", round.Select(s => s.Mode))}; off {off.Load.RequestsPerSecond:F0} req/s, {off.NotesCpuPerRequest:F0} µs; on {on.Load.RequestsPerSecond:F0}, {on.NotesCpuPerRequest:F0} µs; bridge {on.BridgeCpu / (on.Seconds * cores):P1}, dashboard {on.BenchCpu / (on.Seconds * cores):P1}; machine idle: off {off.Idle:P0}, on {on.Idle:P0}, pgbench {pg.Idle:P0})";
    }).ToList();
    foreach (var mode in new[] { "off", "on", "pgbench" })
    {
        var ofMode = slices.Where(s => s.Mode == mode).ToList();
        results[(mode, endpoint)] = Pooled(ofMode.Select(s => s.Load).ToList());
        cpuPerRequest[(mode, endpoint)] = ofMode.Sum(s => s.NotesCpu) * 1e6 / Math.Max(1, ofMode.Sum(s => s.Load.Requests));
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
        // What the rest of the AppHost costs at each load: the real dashboard storing every span, the bridge sending to
        // it and to the stand-in Datadog agent, and the AppHost itself (in this process, with that agent).
        double[] Cpu() => [.. new[] { "notes", "aspire-dashboard", "telemetry" }.Select(apphost.CpuSeconds), ProcessStats.CpuSeconds(Environment.ProcessId)];
        foreach (var (endpoint, script) in new[] { (ById, byId), (Create, create) })
        {
            var runs = new Dictionary<string, List<LoadResult>> { ["apphost direct"] = [], ["apphost public"] = [] };
            var cpuBefore = Cpu();
            var started = Stopwatch.GetTimestamp();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var mode in round % 2 == 0 ? new[] { "apphost direct", "apphost public" } : ["apphost public", "apphost direct"])
                {
                    runs[mode].Add(await Wrk.RunAsync(mode == "apphost direct" ? direct : published, script, connections, slice));
                }
            }

            var machine = Stopwatch.GetElapsedTime(started).TotalSeconds * cores;
            var shares = Cpu().Select((cpu, i) => (cpu - cpuBefore[i]) / machine).ToArray();
            lines.Add($"AppHost, CPU during {endpoint}: notes {shares[0]:P1} of the machine, the Aspire dashboard {shares[1]:P1}, the bridge {shares[2]:P1}, " +
                $"the AppHost with the stand-in Datadog agent (this process) {shares[3]:P1}");

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

        // Not side by side, so not a target: the AppHost's stack against the bench's, whose dashboard keeps nothing.
        Console.WriteLine($"info through the AppHost, {endpoint} ran at {results[("apphost public", endpoint)].RequestsPerSecond / results[("on", endpoint)].RequestsPerSecond:P0} " +
            "of the traced set's rate above, with the real dashboard and the stand-in Datadog agent taking the spans (see the AppHost's CPU above)");
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
    Check("the bridge's memory does not grow (its RSS peaks in the last pair within 10% or 16 MiB of the first pair's peak)",
        bridgeRssPeaks[^1] <= Math.Max(bridgeRssPeaks[0] * 1.10, bridgeRssPeaks[0] + 16), $"{bridgeRssPeaks[0]} → {bridgeRssPeaks[^1]} MiB");
    Console.WriteLine($"info the bridge's CPU share at the read benchmark's rate: {bridgeShare:P1} of {cores} cores (the stand-in dashboard, in this process: {sinkShare:P1})");
}
else
{
    Check("every request's spans reach the dashboard", spansKept, spansLine.Length > 0 ? "see above" : "");
    Console.WriteLine($"info the bridge is not on the path (--on-env ...{{dashboard-http}}); the stand-in dashboard's CPU share at the read benchmark's rate: {sinkShare:P1} of {cores} cores");
}
return 0;

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

// The six orders of three modes (a Williams design): over six rounds each mode runs twice in each position and twice
// right after each other mode, so no mode gains from where it runs or what ran before it.
static string[] BalancedOrder(int round) => (round % 6) switch
{
    0 => ["off", "on", "pgbench"],
    1 => ["pgbench", "on", "off"],
    2 => ["on", "pgbench", "off"],
    3 => ["off", "pgbench", "on"],
    4 => ["pgbench", "off", "on"],
    _ => ["on", "off", "pgbench"],
};

/// <summary>
/// One mode's share of a round: its load (and the requests of its unmeasured lead-in), the CPU seconds notes, the bridge
/// and the bench spent meanwhile, and the share of the machine left idle.
/// </summary>
internal sealed record Slice(int Round, int Pair, string Mode, LoadResult Load, long LeadInRequests, double NotesCpu, double BridgeCpu, double BenchCpu, double Seconds, double Idle)
{
    public double NotesCpuPerRequest => NotesCpu * 1e6 / Math.Max(1, Load.Requests);
}
