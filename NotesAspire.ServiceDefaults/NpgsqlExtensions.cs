using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>The role Aspire.Npgsql plays in an Aspire solution, built on Npgsql's own packages.</summary>
public static class NpgsqlExtensions
{
    public const int DefaultMaxPoolSize = 40;
    public const int DefaultMaxAutoPrepare = 20;

    /// <summary>
    /// Registers a pooled <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{connectionName}</c>
    /// (environment <c>ConnectionStrings__{connectionName}</c>), its health check on <c>/health</c>, and its traces and metrics.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The connection string 'ConnectionStrings:{connectionName}' is missing. Set it in configuration or as the " +
                $"environment variable ConnectionStrings__{connectionName}, e.g. " +
                $"'Host=localhost;Port=5432;Username=postgres;Password=...;Database={connectionName}'.");
        }

        // Npgsql marks each span with a "first response" event by default: an allocation per query that says little the
        // span's own timing does not.
        builder.Services.AddNpgsqlDataSource(WithDefaults(connectionString), dataSource =>
            dataSource.ConfigureTracing(tracing => tracing.EnableFirstResponseEvent(false)));
        builder.Services.AddHealthChecks().AddNpgSql(name: connectionName);
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddNpgsql())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());
        return builder;
    }

    /// <summary>
    /// Defaults for what the connection string leaves unsaid:
    /// <list type="bullet">
    /// <item>Maximum Pool Size: Npgsql's default (100) equals PostgreSQL's default max_connections (100), which every
    ///   instance and tool shares; under a burst the pool takes them all and the server answers "too many clients".
    ///   A smaller pool makes a burst wait briefly for a connection instead.</item>
    /// <item>Max Auto Prepare: the service runs a handful of statements over and over; prepared once per connection,
    ///   PostgreSQL skips parsing and planning them on every request.</item>
    /// <item>No Reset On Close: the services never change a session's state (no SET, no temporary tables), so resetting
    ///   it each time a connection goes back to the pool is work for nothing (a third of the throughput of a read).</item>
    /// </list>
    /// </summary>
    private static string WithDefaults(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword is known, not whether it was given.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
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

        return settings.ConnectionString;
    }
}
