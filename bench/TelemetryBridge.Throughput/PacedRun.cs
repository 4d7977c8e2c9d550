using System.Diagnostics;
using System.Net.Http.Headers;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace TelemetryBridge.Throughput;

/// <summary>
/// The bridge's CPU an export at the services' pace, not under a flood: exports shaped like notes' (512 spans, the
/// OpenTelemetry SDK's batch; server spans with ASP.NET Core's ten attributes, PostgreSQL spans with Npgsql's seven)
/// posted over OTLP/HTTP at a steady rate, to a bridge that sends them on to the dashboard only, as under the AppHost
/// without Datadog, while busy threads hold every core, as PostgreSQL and wrk do in NotesAspire.Bench. The bridge's CPU
/// time is read after a warm-up. Several builds of the bridge take turns, round after round, so that a change is
/// measured side by side with what it replaces (bench/README.md, items 21 and 22).
/// </summary>
internal static class PacedRun
{
    private const int SpansPerExport = 512;

    /// <summary>--seconds N (40), --rate N exports a second (86: notes' traced reads, 22,000 a second, two spans each), --rounds N (2), --bridge DIR (repeatable; the bridge's own build when none).</summary>
    public static async Task RunAsync(string[] args)
    {
        var (seconds, rate, rounds) = (40, 86, 2);
        var builds = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(args[i + 1]); break;
                case "--rate": rate = int.Parse(args[i + 1]); break;
                case "--rounds": rounds = int.Parse(args[i + 1]); break;
                case "--bridge": builds.Add(Path.GetFullPath(args[i + 1])); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see PacedRun.RunAsync.");
            }
        }

        if (builds.Count == 0)
        {
            builds.Add(BridgeRun.DefaultDirectory());
        }

        var body = NotesExport().ToByteArray();
        Console.WriteLine($"{SpansPerExport}-span exports of {body.Length:N0} bytes over OTLP/HTTP, {rate} a second for {seconds} s after a 15 s warm-up; {Environment.ProcessorCount} cores held busy");
        using var hold = new CoreHold();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var build in builds)
            {
                var (cpu, exports) = await MeasureAsync(build, body, rate, seconds);
                Console.WriteLine($"round {round} {build}: bridge CPU {cpu.TotalMicroseconds / exports:N0} µs an export ({cpu.TotalSeconds / seconds / Environment.ProcessorCount:P1} of the machine)");
            }
        }
    }

    private static async Task<(TimeSpan Cpu, int Exports)> MeasureAsync(string build, byte[] body, int rate, int seconds)
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
    private static async Task<int> PostAsync(HttpClient http, byte[] body, int rate, int seconds)
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

    private static ExportTraceServiceRequest NotesExport()
    {
        var random = new Random(42);
        var resource = new Resource
        {
            Attributes =
            {
                Text("service.name", "notes"), Text("service.version", "0.1.0"), Text("service.instance.id", Guid.NewGuid().ToString()),
                Text("deployment.environment.name", "dev"), Text("telemetry.sdk.name", "opentelemetry"),
                Text("telemetry.sdk.language", "dotnet"), Text("telemetry.sdk.version", "1.20.1"),
            },
        };
        var server = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        var database = new ScopeSpans { Scope = new InstrumentationScope { Name = "Npgsql", Version = "10.0.3" } };
        for (var i = 0; i < SpansPerExport / 2; i++)
        {
            server.Spans.Add(new Span
            {
                TraceId = Bytes(random, 16), SpanId = Bytes(random, 8), Name = "GET /notes", Kind = Span.Types.SpanKind.Server,
                StartTimeUnixNano = 1, EndTimeUnixNano = 2, Status = new Status(),
                Attributes =
                {
                    Text("server.address", "localhost"), Number("server.port", 8080), Text("http.request.method", "GET"),
                    Text("url.scheme", "http"), Text("url.path", "/notes"), Text("url.query", $"?id={random.Next(10_000)}"),
                    Text("network.protocol.version", "1.1"), Text("user_agent.original", "wrk"), Text("http.route", "/notes"),
                    Number("http.response.status_code", 200),
                },
            });
            database.Spans.Add(new Span
            {
                TraceId = Bytes(random, 16), SpanId = Bytes(random, 8), ParentSpanId = Bytes(random, 8), Name = "postgresql",
                Kind = Span.Types.SpanKind.Client, StartTimeUnixNano = 1, EndTimeUnixNano = 2, Status = new Status(),
                Attributes =
                {
                    Text("db.system.name", "postgresql"), Text("db.system", "postgresql"), Text("db.namespace", "notesdb"),
                    Text("db.query.text", "SELECT id, description FROM notes WHERE id = $1"), Text("db.npgsql.data_source", "notesdb"),
                    Text("server.address", "localhost"), Number("server.port", 5432),
                },
            });
        }

        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { server, database } } } };
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Number(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    private static ByteString Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
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
