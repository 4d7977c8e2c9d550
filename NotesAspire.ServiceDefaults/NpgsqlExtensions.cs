using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>The role Aspire.Npgsql plays in an Aspire solution, built on Npgsql's own packages.</summary>
public static class NpgsqlExtensions
{
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

        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddHealthChecks().AddNpgSql(name: connectionName);
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddNpgsql())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());
        return builder;
    }
}
