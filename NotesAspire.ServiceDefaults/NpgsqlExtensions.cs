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

        builder.Services.AddNpgsqlDataSource(WithBoundedPool(connectionString));
        builder.Services.AddHealthChecks().AddNpgSql(name: connectionName);
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddNpgsql())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());
        return builder;
    }

    /// <summary>
    /// Npgsql's default pool (100) equals PostgreSQL's default max_connections (100), which every instance and tool
    /// shares: under a burst the pool takes them all and the server answers "too many clients". A smaller pool makes a
    /// burst wait briefly for a connection instead; a Maximum Pool Size in the connection string still wins.
    /// </summary>
    private static string WithBoundedPool(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword is known, not whether it was given.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => key.Replace(" ", "").ToLowerInvariant() is "maximumpoolsize" or "maxpoolsize");
        return given
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }
}
