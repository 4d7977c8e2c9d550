using System.Data.Common;
using System.Diagnostics;
using Npgsql;

namespace NotesAspire.Notes.Data;

public static class NotesDataSource
{
    public const string ConnectionName = "notesdb";
    public const int DefaultMaxPoolSize = 40;
    public const int DefaultMaxAutoPrepare = 20;
    public const int DefaultCommandTimeoutSeconds = 5;
    public const int DefaultTimeoutSeconds = 5;

    /// <summary>
    /// The notes database through Aspire.Npgsql (<c>ConnectionStrings:notesdb</c>): a pooled data source, its health check
    /// on <c>/health</c>, and its traces and metrics, with our defaults for what the connection string leaves unsaid; the
    /// store on it, its schema (created before the service takes traffic) and the answers to its errors.
    /// </summary>
    public static IHostApplicationBuilder AddNotesDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NoteStore>();
        builder.Services.AddHostedService<NotesSchema>();
        builder.Services.AddExceptionHandler<DatabaseErrorHandler>();

        builder.AddNpgsqlDataSource(
            ConnectionName,
            settings => settings.ConnectionString = WithDefaults(settings.ConnectionString),
            dataSource =>
            {
                // Npgsql tags every query span (db.npgsql.data_source) and its pool's metrics with the data source's name;
                // unnamed, it is named after its connection string: host, user, database and pool settings, some 150
                // bytes on every span exported and sent on to Datadog.
                dataSource.Name = ConnectionName;
                dataSource.ConfigureTracing(tracing => tracing
                    // A "first response" event on every span is an allocation per query that says little the span's timing does not.
                    .EnableFirstResponseEvent(false)
                    // A CONNECT span for each physical connection opened: rare once the pool is warm, and without a command
                    // to enrich it would lack db.system, so older agents would name it client.request of type http.
                    .EnablePhysicalOpenTracing(false)
                    // A query outside a traced request is the health check's, every few seconds (its request is not recorded),
                    // or the schema's at start: kept out of traces, as the health probes are, or each would be a trace of its own.
                    .ConfigureCommandFilter(_ => Activity.Current is { Recorded: true })
                    // Npgsql 10 names the database in db.system.name only; agents older than Datadog's attribute registry read
                    // db.system, and without it would name the span client.request of type http instead of postgresql.query/sql.
                    .ConfigureCommandEnrichmentCallback((activity, _) => activity.SetTag("db.system", "postgresql")));
            });
        return builder;
    }

    /// <summary>
    /// <list type="bullet">
    /// <item>Maximum Pool Size: Npgsql's default (100) equals PostgreSQL's default max_connections (100), which every
    ///   instance and tool shares; under a burst the pool takes them all and the server answers "too many clients".
    ///   A smaller pool makes a burst wait briefly for a connection instead.</item>
    /// <item>Max Auto Prepare: the service runs a handful of statements over and over; prepared once per connection,
    ///   PostgreSQL skips parsing and planning them on every request.</item>
    /// <item>No Reset On Close: the service never changes a session's state (no SET, no temporary tables), so resetting
    ///   it each time a connection goes back to the pool is work for nothing (a third of the throughput of a read).</item>
    /// <item>Command Timeout and Timeout (to connect, or to wait for a pooled connection): 5 s each. Every statement here
    ///   takes milliseconds, so a database that has not answered in 5 s is hung, or held up by someone else's long work
    ///   (an ALTER TABLE): the request then gets a 503 rather than waiting with it. A hung server costs both, the
    ///   statement's and the cancellation's: about 10 s. Npgsql's defaults (30 s, 15 s) kept a request waiting about a
    ///   minute, where the calendar's calls give up within 5 s.</item>
    /// </list>
    /// A missing connection string is left for Aspire.Npgsql to report, naming the setting.
    /// </summary>
    private static string? WithDefaults(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword is known, not whether it was given.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Select(key => key.Replace(" ", "").ToLowerInvariant())
            .ToHashSet();
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Overlaps(["maximumpoolsize", "maxpoolsize"]))
        {
            settings.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!given.Contains("maxautoprepare"))
        {
            settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!given.Contains("noresetonclose"))
        {
            settings.NoResetOnClose = true;
        }

        if (!given.Contains("commandtimeout"))
        {
            settings.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        if (!given.Contains("timeout"))
        {
            settings.Timeout = DefaultTimeoutSeconds;
        }

        return settings.ConnectionString;
    }
}
