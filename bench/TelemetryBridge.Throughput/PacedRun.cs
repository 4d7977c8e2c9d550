using System.Diagnostics;
using System.Net.Http.Headers;
using Google.Protobuf;
using TelemetryBridge.Shared;

namespace TelemetryBridge.Throughput;

/// <summary>
/// The bridge's CPU an export at the services' pace, not under a flood: exports shaped like notes' (<see cref="NotesExport"/>)
/// posted over OTLP/HTTP at a steady rate, to a bridge that sends them on to the dashboard only, as under the AppHost
/// without Datadog, while busy threads hold every core, as PostgreSQL and wrk do in NotesAspire.Bench. The bridge's CPU
/// time is read after a warm-up. Several builds of the bridge take turns, round after round, so that a change is
/// measured side by side with what it replaces (bench/README.md, items 21 and 22).
/// </summary>
internal static class PacedRun
{
    /// <summary>
    /// --seconds N (40), --rate N exports a second (86: notes' traced reads, 22,000 a second, two spans each), --rounds N
    /// (2), --bridge DIR (repeatable; the bridge's own build when none), --spans N (repeatable: exports of N spans, the
    /// SDK's batch size, 512 when none; each size at the span rate of 512-span exports at --rate).
    /// </summary>
    public static async Task RunAsync(string[] args)
    {
        var (seconds, rate, rounds) = (40, 86, 2);
        var builds = new List<string>();
        var sizes = new List<int>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(args[i + 1]); break;
                case "--rate": rate = int.Parse(args[i + 1]); break;
                case "--rounds": rounds = int.Parse(args[i + 1]); break;
                case "--bridge": builds.Add(Path.GetFullPath(args[i + 1])); break;
                case "--spans": sizes.Add(int.Parse(args[i + 1])); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see PacedRun.RunAsync.");
            }
        }

        if (builds.Count == 0)
        {
            builds.Add(BridgeRun.DefaultDirectory());
        }

        if (sizes.Count == 0)
        {
            sizes.Add(NotesExport.Spans);
        }

        var bodies = sizes.Select(spans => (Spans: spans, Body: NotesExport.Build(spans: spans).ToByteArray())).ToArray();
        var spanRate = rate * NotesExport.Spans;
        Console.WriteLine($"{spanRate:N0} spans a second over OTLP/HTTP in exports of {string.Join(", ", bodies.Select(b => $"{b.Spans} spans ({b.Body.Length:N0} bytes)"))}, for {seconds} s after a 15 s warm-up; {Environment.ProcessorCount} cores held busy");
        using var hold = new CoreHold();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var build in builds)
            {
                foreach (var (spans, body) in bodies)
                {
                    var (cpu, exports) = await MeasureAsync(build, body, (double)spanRate / spans, seconds);
                    Console.WriteLine($"round {round} {build}, {spans}-span exports: bridge CPU {cpu.TotalMicroseconds / exports:N0} µs an export, " +
                        $"{cpu.TotalMicroseconds / (exports * spans):N2} µs a span ({cpu.TotalSeconds / seconds / Environment.ProcessorCount:P1} of the machine)");
                }
            }
        }
    }

    private static async Task<(TimeSpan Cpu, int Exports)> MeasureAsync(string build, byte[] body, double rate, int seconds)
    {
        await using var sinks = new Sinks();
        await sinks.StartAsync();
        var (grpcPort, httpPort) = (BridgeRun.FreePort(), BridgeRun.FreePort());
        using var bridge = BridgeRun.Start(build, grpcPort, httpPort, sinks, agent: false);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
            await BridgeRun.WaitAliveAsync(http, bridge);
            await PostAsync(http, body, rate, 15);
            bridge.Refresh();
            var before = bridge.TotalProcessorTime;
            var exports = await PostAsync(http, body, rate, seconds);
            bridge.Refresh();
            return (bridge.TotalProcessorTime - before, exports);
        }
        finally
        {
            bridge.Kill();
            await bridge.WaitForExitAsync();
        }
    }

    /// <summary>Posts one export after another on one connection, as the SDK's exporter does, at the given rate.</summary>
    private static async Task<int> PostAsync(HttpClient http, byte[] body, double rate, int seconds)
    {
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < rate * seconds)
        {
            using var content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } };
            (await http.PostAsync("v1/traces", content)).EnsureSuccessStatusCode();
            sent++;
            var due = TimeSpan.FromSeconds((double)sent / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        return sent;
    }

    /// <summary>One spinning thread a core, at normal priority, as PostgreSQL and wrk run beside the bridge in NotesAspire.Bench.</summary>
    private sealed class CoreHold : IDisposable
    {
        private volatile bool _stop;
        private readonly Thread[] _threads;

        public CoreHold()
        {
            _threads = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(Spin) { IsBackground = true })];
            foreach (var thread in _threads)
            {
                thread.Start();
            }
        }

        public void Dispose()
        {
            _stop = true;
            foreach (var thread in _threads)
            {
                thread.Join();
            }
        }

        private void Spin()
        {
            while (!_stop)
            {
            }
        }
    }
}
