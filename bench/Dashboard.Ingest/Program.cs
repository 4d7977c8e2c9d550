// Ingest benchmark of the dashboard's OTLP receiver: how many spans per second it stores, and what memory it holds
// once its trace limit is reached. Usage: dotnet run -c Release --project bench/Dashboard.Ingest -- [spans] [spansPerRequest] [senders]
using System.Diagnostics;
using Dashboard.Ingest;
using NotesAspire.Dashboard;

var totalSpans = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var spansPerRequest = args.Length > 1 ? int.Parse(args[1]) : 500;
var senders = args.Length > 2 ? int.Parse(args[2]) : 4;

// 20,000 distinct traces, twice the default limit: by the time a payload comes round again its traces were evicted,
// so every request adds new traces and the store works at its bound.
var payloads = Payloads.Create(requests: 20_000 * Payloads.SpansPerTrace / spansPerRequest, spansPerRequest);
var options = new DashboardOptions { Port = 0, OtlpGrpcPort = 0, OtlpHttpPort = 0 };
await using var server = await DashboardServer.StartAsync(options, new NoResources());

Console.WriteLine($"{totalSpans:N0} spans per protocol, {spansPerRequest} per request, {senders} concurrent senders, " +
    $"limits: {options.MaxTraces:N0} traces, {options.MaxSpans:N0} spans");
Console.WriteLine($"managed heap before ingest (the payloads, an empty store): {Mebibytes(GC.GetTotalMemory(forceFullCollection: true))} MiB");

foreach (var (protocol, newSender) in new (string, Func<ISender>)[]
{
    ("OTLP/HTTP protobuf", () => new HttpSender(server.OtlpHttpUrl)),
    ("OTLP/gRPC", () => new GrpcSender(server.OtlpGrpcUrl)),
})
{
    await RunAsync(newSender, payloads.Length); // warm-up: JIT, connections, a full store
    var elapsed = await RunAsync(newSender, totalSpans / spansPerRequest);
    var stats = server.Telemetry.GetStats();
    var heap = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"{protocol,-20} {totalSpans / elapsed.TotalSeconds,12:N0} spans/s   " +
        $"store: {stats.Traces:N0} traces, {stats.Spans:N0} spans   managed heap {Mebibytes(heap)} MiB, " +
        $"working set {Mebibytes(Environment.WorkingSet)} MiB");
}

async Task<TimeSpan> RunAsync(Func<ISender> newSender, int requests)
{
    var next = -1;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
    {
        using var sender = newSender();
        int i;
        while ((i = Interlocked.Increment(ref next)) < requests)
        {
            await sender.SendAsync(payloads[i % payloads.Length]);
        }
    })));
    return stopwatch.Elapsed;
}

static string Mebibytes(long bytes) => (bytes / 1024 / 1024).ToString("N0");

internal sealed class NoResources : IResourceCatalog
{
    public IReadOnlyList<ResourceSnapshot> GetResources() => [];

    public IReadOnlyList<ConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence) => [];
}
