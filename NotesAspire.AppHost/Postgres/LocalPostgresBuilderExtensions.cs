using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Postgres;

namespace Aspire.Hosting;

public static partial class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// DCP stops a process with SIGTERM, which PostgreSQL takes as a "smart" shutdown that waits for every client to
    /// disconnect (pooled connections never do). This wrapper turns it into SIGINT, a fast shutdown, and passes on the
    /// server's exit code. PostgreSQL installs its own signal handlers, so running it in the background is harmless. Its log
    /// goes to standard output: on standard error, Aspire would show every line as an error.
    /// </summary>
    private const string FastShutdownWrapper =
        """trap 'kill -INT "$pid" 2>/dev/null' TERM INT; "$@" 2>&1 & pid=$!; status=0; while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done; exit $status""";

    /// <summary>
    /// Adds a PostgreSQL server run from the machine's binaries (<c>initdb</c>, <c>postgres</c>), its cluster kept in
    /// <paramref name="stateDirectory"/><c>/postgres</c> with a generated password, on a free port of 127.0.0.1.
    /// Under root it runs as the <c>postgres</c> (else <c>nobody</c>) user, as PostgreSQL requires.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var cluster = new LocalPostgresCluster(stateDirectory);
        string[] server = [cluster.PostgresProgram, "-D", cluster.DataDirectory, "-c", "listen_addresses=127.0.0.1",
            // No Unix socket: its default folder (/var/run/postgresql) is not ours to write, and TCP is all we use.
            "-c", "unix_socket_directories=",
            // PostgreSQL's default prefix and the process's kind (%b), which tells the server's own failures from a client's.
            "-c", "log_line_prefix=%m [%p] %b "];
        string[] wrapped = ["/bin/sh", "-c", FastShutdownWrapper, "postgres", .. server];
        string[] command = cluster.RunAs is null ? wrapped : ["setpriv", .. cluster.RunAs.SetprivArguments, .. wrapped];

        var resource = new LocalPostgresServerResource(name, command[0], cluster.Folder, cluster.Password);
        string? connectionString = null;
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("The connection string is not known yet.")) + ";Database=postgres",
            name: healthCheckKey);

        // Not proxied: every query would otherwise pass through DCP's proxy. Aspire picks the port, outside the kernel's
        // ephemeral range (where an outgoing connection could take it before postgres binds it), and keeps it for the run.
        return builder.AddResource(resource)
            .WithArgs([.. command.Skip(1)])
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, env: "PGPORT", isProxied: false)
            .WithEnvironment("LC_ALL", "C")
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .OnConnectionStringAvailable(async (server, _, cancellationToken) =>
                connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken))
            .OnBeforeResourceStarted(async (server, @event, cancellationToken) =>
            {
                var log = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
                try
                {
                    await cluster.PrepareAsync(line => log.LogInformation("{Line}", line), cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Aspire puts it in the resource's log only; notes would wait for the database without a word.
                    AppModelBuilderExtensions.AppHostLogger(@event.Services).LogError("PostgreSQL did not start: {Reason}", exception.Message);
                    throw;
                }
            })
            .OnResourceReady(async (server, _, cancellationToken) =>
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres");
                await connection.OpenAsync(cancellationToken);
                foreach (var database in server.Databases.Values)
                {
                    await CreateDatabaseAsync(connection, database, cancellationToken);
                }
            });
    }

    /// <summary>
    /// Why the server ended, for its restart line: a FATAL or PANIC of the postmaster or of its startup process (a port
    /// taken, a data folder it refuses, a recovery that fails), or what went to stderr (setpriv's or the shell's words:
    /// PostgreSQL's own log goes to stdout). A client's FATAL (a wrong password, "the database system is starting up" to
    /// an early health check) ends that client's connection only, and so does a backend's PANIC, after which the
    /// postmaster recovers. PostgreSQL before 13 has no %b: there any FATAL or PANIC is taken.
    /// </summary>
    internal static string? ExitReason(string line, bool onStderr) =>
        ServerFailure().Match(line) is { Success: true } failure ? failure.Groups["why"].Value : RestartOnExitAnnotation.StderrLine(line, onStderr);

    /// <summary>A line of the prefix below (<c>%m [%p] %b </c>): the time in three words, the process id, its kind.</summary>
    [GeneratedRegex(@"^\S+ \S+ \S+ \[\d+\] (?:postmaster|startup|) (?<why>(?:FATAL|PANIC):.*)$")]
    private static partial Regex ServerFailure();

    /// <summary>Adds a database of the server, created when the server is first ready, with a health check of its own.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);

        string? connectionString = null;
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("The connection string is not known yet."),
            name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database)
            .WithHealthCheck(healthCheckKey)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, builder.Resource.Name)],
            })
            .OnConnectionStringAvailable(async (db, _, cancellationToken) =>
                connectionString = await db.ConnectionStringExpression.GetValueAsync(cancellationToken))
            .OnInitializeResource((db, @event, cancellationToken) =>
            {
                // DCP gives state to the children of containers only: this one follows its server by hand.
                _ = FollowServerStateAsync(db, @event.Notifications, cancellationToken);
                return Task.CompletedTask;
            });
    }

    private static async Task FollowServerStateAsync(LocalPostgresDatabaseResource database, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (update.Resource == database.Parent)
                {
                    await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                    {
                        State = update.Snapshot.State,
                        StartTimeStamp = update.Snapshot.StartTimeStamp,
                        StopTimeStamp = update.Snapshot.StopTimeStamp,
                    });
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task CreateDatabaseAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // CREATE DATABASE takes no parameters: the name is quoted as an identifier instead.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
