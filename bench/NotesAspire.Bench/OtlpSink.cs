using NotesAspire.Dashboard;

namespace NotesAspire.Bench;

/// <summary>Where "tracing on" exports: the AppHost's own OTLP receiver, as in a local run, on free ports.</summary>
public sealed class OtlpSink(DashboardServer server) : IAsyncDisposable
{
    public Uri Endpoint => server.OtlpGrpcUrl;

    public static async Task<OtlpSink> StartAsync() =>
        new(await DashboardServer.StartAsync(new DashboardOptions { Port = 0, OtlpGrpcPort = 0, OtlpHttpPort = 0 }, new NoResources()));

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private sealed class NoResources : IResourceCatalog
    {
        public IReadOnlyList<ResourceSnapshot> GetResources() => [];

        public IReadOnlyList<ConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence) => [];
    }
}
