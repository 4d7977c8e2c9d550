using System.Net.Http.Json;
using Grpc.Net.Client;
using NotesAspire.TelemetryBridge.Sending;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>The bridge as it runs for real: its built dll in its own process, configured through the environment.</summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private BridgeProcess(ServiceProcess process, int grpcPort)
    {
        _process = process;
        Http = process.CreateClient();
        Grpc = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{grpcPort}"));
    }

    /// <summary>The bridge's process id, for its CPU time and memory (the benchmarks).</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>OTLP/HTTP, health and <c>/api/stats</c>.</summary>
    public HttpClient Http { get; }

    /// <summary>OTLP/gRPC.</summary>
    public GrpcChannel Grpc { get; }

    /// <summary>What the bridge printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Whether the bridge prints <paramref name="text"/>, waited for: a line comes through the process's output after
    /// the count it goes with is already in <c>/api/stats</c>, and a message's lines one by one.
    /// </summary>
    public Task<bool> SaysAsync(string text) => Eventually.IsTrue(() => Output.Contains(text, StringComparison.Ordinal));

    /// <param name="dashboard">The stand-in dashboard's gRPC address, or null for none.</param>
    /// <param name="agent">The stand-in agent's OTLP/HTTP address, or null for none.</param>
    /// <param name="settings">More environment, e.g. <c>Bridge__QueueCapacity</c>.</param>
    public static async Task<BridgeProcess> StartAsync(Uri? dashboard, Uri? agent, IReadOnlyDictionary<string, string>? settings = null)
    {
        var ports = FreePorts.Take(2);
        var (grpcPort, httpPort) = (ports[0], ports[1]);
        var process = ServiceProcess.Launch("NotesAspire.TelemetryBridge", new Uri($"http://127.0.0.1:{httpPort}"), environment =>
        {
            foreach (var inherited in environment.Keys.Where(key => key.StartsWith("OTEL_", StringComparison.Ordinal) || key.StartsWith("DATADOG_", StringComparison.Ordinal)).ToList())
            {
                environment.Remove(inherited);
            }

            environment["OTLP_GRPC_PORT"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment["OTLP_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (dashboard is not null)
            {
                // What Aspire gives a project resource.
                environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.AbsoluteUri;
                environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                environment["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={StandInDashboard.ApiKey}";
            }

            if (agent is not null)
            {
                environment["DATADOG_OTLP_ENDPOINT"] = agent.AbsoluteUri;
            }

            // Short backoff and timeouts keep the tests short; the defaults are for the tutorial.
            environment["Bridge__RetryInitialDelay"] = "00:00:00.050";
            environment["Bridge__RetryMaxDelay"] = "00:00:00.250";
            environment["Bridge__RequestTimeout"] = "00:00:05";
            environment["Bridge__FlushTimeout"] = "00:00:00.500";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }
        });
        return new BridgeProcess(await process.AliveAsync(), grpcPort);
    }

    public async Task<DestinationStats> StatsAsync(string destination)
    {
        var stats = await Http.GetFromJsonAsync<Dictionary<string, DestinationStats>>("api/stats");
        return stats![destination];
    }

    /// <summary>SIGTERM, as an orchestrator stops it; returns the exit code.</summary>
    public Task<int> StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Http.Dispose();
        Grpc.Dispose();
    }
}
