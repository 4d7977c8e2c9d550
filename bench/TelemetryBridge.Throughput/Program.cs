// Throughput of the telemetry bridge, run as its own process between OTLP/gRPC senders and an in-process "dashboard" and
// "agent" (both OTLP/HTTP, as under the AppHost): export calls per second and their latency with both destinations up,
// then with the agent stopped (the senders must not notice), then how long the agent's backlog takes to go out once it
// is back.
// Usage: dotnet run -c Release --project bench/TelemetryBridge.Throughput -- [seconds per phase] [senders] [spans per request]
// With --paced first, the bridge's CPU an export at the services' pace instead (PacedRun).
using System.Diagnostics;
using System.Net.Http.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using TelemetryBridge.Throughput;

if (args is ["--paced", .. var paced])
{
    await PacedRun.RunAsync(paced);
    return;
}

var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
var senders = args.Length > 1 ? int.Parse(args[1]) : 4;
var spansPerRequest = args.Length > 2 ? int.Parse(args[2]) : 50;

await using var sinks = new Sinks();
await sinks.StartAsync();
var (grpcPort, httpPort) = (BridgeRun.FreePort(), BridgeRun.FreePort());
using var bridge = BridgeRun.Start(BridgeRun.DefaultDirectory(), grpcPort, httpPort, sinks, agent: true);
using var stats = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
await BridgeRun.WaitAliveAsync(stats, bridge);
using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
var payloads = Enumerable.Range(0, 1_000).Select(i => Payload(i, spansPerRequest)).ToArray();

Console.WriteLine($"{seconds} s per phase, {senders} concurrent gRPC senders, {spansPerRequest} spans per request, {Environment.ProcessorCount} cores");
await PhaseAsync("warm-up", 2);
await PhaseAsync("both destinations up", seconds);
await sinks.StopAgentAsync();
await PhaseAsync("agent stopped", seconds);
var before = await StatsAsync("datadog");
var backFrom = Stopwatch.StartNew();
await sinks.StartAgentAsync();
while ((await StatsAsync("datadog")).Queued > 0)
{
    await Task.Delay(50);
}

var after = await StatsAsync("datadog");
bridge.Refresh();
Console.WriteLine($"agent back: {before.Queued:N0} queued requests sent in {backFrom.Elapsed.TotalSeconds:0.0} s; " +
    $"dropped during the outage (queue bound): {after.Dropped:N0}; bridge working set {Mebibytes(bridge.WorkingSet64)} MiB");
bridge.Kill();

async Task PhaseAsync(string name, int phaseSeconds)
{
    var latencies = new List<double>[senders];
    var dashboardBefore = sinks.DashboardSpans;
    var deadline = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
    {
        var client = new TraceService.TraceServiceClient(channel);
        var mine = latencies[s] = [];
        for (var i = s; deadline.Elapsed.TotalSeconds < phaseSeconds; i += senders)
        {
            var call = Stopwatch.GetTimestamp();
            await client.ExportAsync(payloads[i % payloads.Length]);
            mine.Add(Stopwatch.GetElapsedTime(call).TotalMilliseconds);
        }
    })));
    var elapsed = deadline.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    var dashboard = await StatsAsync("dashboard");
    var datadog = await StatsAsync("datadog");
    Console.WriteLine($"{name,-22} {all.Length / elapsed,8:N0} exports/s ({all.Length * spansPerRequest / elapsed:N0} spans/s), " +
        $"p50 {all[all.Length / 2]:0.00} ms, p99 {all[(int)(all.Length * 0.99)]:0.00} ms; dashboard got {(sinks.DashboardSpans - dashboardBefore) / elapsed:N0} spans/s; " +
        $"queued dashboard/datadog {dashboard.Queued:N0}/{datadog.Queued:N0}, dropped {dashboard.Dropped:N0}/{datadog.Dropped:N0}");
}

async Task<Stats> StatsAsync(string destination) =>
    (await stats.GetFromJsonAsync<Dictionary<string, Stats>>("api/stats"))![destination];

static ExportTraceServiceRequest Payload(int seed, int spans)
{
    var random = new Random(seed);
    var resource = new Resource { Attributes = { Attribute("service.name", "notes"), Attribute("deployment.environment.name", "bench") } };
    var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "bench" } };
    for (var i = 0; i < spans; i++)
    {
        var span = new Span
        {
            TraceId = Bytes(random, 16),
            SpanId = Bytes(random, 8),
            Name = i % 2 == 0 ? "POST /notes" : "postgresql",
            Kind = i % 2 == 0 ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
            StartTimeUnixNano = 1_800_000_000_000_000_000UL,
            EndTimeUnixNano = 1_800_000_000_002_000_000UL,
        };
        span.Attributes.Add(i % 2 == 0
            ? [Attribute("http.request.method", "POST"), Attribute("http.route", "/notes"), Attribute("http.response.status_code", "200")]
            : [Attribute("db.system.name", "postgresql"), Attribute("db.query.text", "INSERT INTO notes (description) VALUES ($1)")]);
        scope.Spans.Add(span);
    }

    return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } };
}

static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

static ByteString Bytes(Random random, int length)
{
    var bytes = new byte[length];
    random.NextBytes(bytes);
    return ByteString.CopyFrom(bytes);
}

static string Mebibytes(long bytes) => (bytes / 1024 / 1024).ToString("N0");

internal sealed record Stats(long Received, long Sent, long Retried, long Dropped, long Rejected, long Queued);
