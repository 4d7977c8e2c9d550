using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Postgres;

namespace NotesAspire.AppHost.Running;

/// <summary>Runs the PostgreSQL server resource through its chosen host, creates its databases and watches their health.</summary>
public sealed class PostgresRunner(PostgresServerResource server, IPostgresHost host, ResourceCatalog catalog)
{
    public IPostgresHost Host => host;

    private string AdminConnectionString => host.Endpoint.ConnectionString("postgres");

    public IEnumerable<ResourceSnapshot> Initial()
    {
        yield return new(server.Name, ResourceTypes.Postgres, ResourceStates.NotStarted, null, [$"tcp://{host.Endpoint.Host}:{host.Endpoint.Port}"], 0, null, null);
        foreach (var database in server.Databases)
        {
            yield return new(database.Name, ResourceTypes.PostgresDatabase, ResourceStates.NotStarted, null, [], 0, null, null);
        }
    }

    /// <summary>Returns once the server accepts connections and every database exists.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        catalog.Update(server.Name, resource => resource with { State = ResourceStates.Starting });
        try
        {
            await host.StartAsync(line => catalog.AddConsoleLog(server.Name, line, isError: false), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            catalog.Update(server.Name, resource => resource with { State = ResourceStates.FailedToStart });
            throw;
        }

        catalog.Update(server.Name, resource => resource with { State = ResourceStates.Running, ProcessId = host.ProcessId, StartedAt = DateTimeOffset.Now });
        foreach (var database in server.Databases)
        {
            await PostgresDatabases.EnsureCreatedAsync(AdminConnectionString, database.DatabaseName, cancellationToken);
            catalog.Update(database.Name, resource => resource with { State = ResourceStates.Running, StartedAt = DateTimeOffset.Now });
        }
    }

    /// <summary>Checks the server and each database every second, until the AppHost stops or the server exits.</summary>
    public async Task MonitorAsync(CancellationToken stopping)
    {
        var exited = host.Exited;
        try
        {
            while (!exited.IsCompleted)
            {
                await ReportHealthAsync(server.Name, AdminConnectionString, stopping);
                foreach (var database in server.Databases)
                {
                    await ReportHealthAsync(database.Name, host.Endpoint.ConnectionString(database.DatabaseName), stopping);
                }

                await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(1), stopping));
                stopping.ThrowIfCancellationRequested();
            }

            // The services will report their own failures; the console says why they have no database.
            foreach (var name in server.Databases.Select(database => database.Name).Prepend(server.Name))
            {
                catalog.Update(name, resource => resource with { State = ResourceStates.Exited, Health = null, ProcessId = null });
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>After the services: PostgreSQL's fast shutdown (or the container's stop).</summary>
    public async Task StopAsync()
    {
        foreach (var name in server.Databases.Select(database => database.Name).Prepend(server.Name))
        {
            catalog.Update(name, resource => resource with { State = ResourceStates.Stopping, Health = null });
        }

        await host.DisposeAsync();
        foreach (var name in server.Databases.Select(database => database.Name).Prepend(server.Name))
        {
            catalog.Update(name, resource => resource with { State = ResourceStates.Stopped, ProcessId = null });
        }
    }

    private async Task ReportHealthAsync(string name, string connectionString, CancellationToken stopping)
    {
        var healthy = await HealthChecks.PostgresAsync(connectionString, stopping);
        catalog.Update(name, resource => resource with { Health = healthy ? HealthStates.Healthy : HealthStates.Unhealthy });
    }
}
