using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Bench;

/// <summary>Calendar and notes as real processes, exporting telemetry when given an OTLP endpoint.</summary>
public sealed class BenchApp(ServiceProcess calendar, ServiceProcess notes) : IAsyncDisposable
{
    public ServiceProcess Notes { get; } = notes;

    public static async Task<BenchApp> StartAsync(string connectionString, Uri? otlpEndpoint)
    {
        var telemetry = otlpEndpoint is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint.ToString(), ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc" };
        // Request logging at Information would measure the console, not the service.
        telemetry["Logging__LogLevel__Default"] = "Warning";

        var calendar = await ServiceProcess.StartAsync("NotesAspire.Calendar", telemetry);
        var notes = await ServiceProcess.StartAsync("NotesAspire.Notes", new Dictionary<string, string>(telemetry)
        {
            ["ConnectionStrings__notesdb"] = connectionString,
            ["services__calendar__http__0"] = calendar.BaseAddress.ToString(),
        });
        return new BenchApp(calendar, notes);
    }

    public async ValueTask DisposeAsync()
    {
        await Notes.DisposeAsync();
        await calendar.DisposeAsync();
    }
}

/// <summary>
/// The tests' throwaway PostgreSQL server, but durable (fsync and synchronous commit on) like the AppHost's local server
/// and any real one: a commit waits for its WAL to reach the disk, for the service and pgbench alike.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly PostgresFixture _fixture = new() { Durable = true };

    public async Task<string> StartAsync()
    {
        await _fixture.InitializeAsync();
        return await _fixture.CreateDatabaseAsync();
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();
}
