using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NotesAspire.AppHost.Hosting;

namespace NotesAspire.AppHost.Postgres;

/// <summary>
/// Says on the AppHost's console when an existing server cannot be reached, and again once it can. Notes retries such a
/// server for as long as it takes (it may come up later), which is right, but says so in its own console only: the
/// AppHost's console stayed silent while the run never got healthy.
/// </summary>
/// <remarks>
/// Not a health check on the connection string: <c>WaitFor</c> would then hold notes back, and a wrong password, which
/// makes notes exit with PostgreSQL's own words on the console (the restart line), would become a silent wait instead.
/// </remarks>
internal static class ExistingServerReachability
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>What <c>WithReference</c> records on the consumer (Aspire's KnownRelationshipTypes is internal).</summary>
    private const string ReferenceRelationship = "Reference";

    public static IResourceBuilder<IResourceWithConnectionString> SayWhetherReachable(
        this IResourceBuilder<IResourceWithConnectionString> builder, string connectionString, string setting)
    {
        // Disposed with the app's services, so with the app, stopped or not.
        builder.ApplicationBuilder.Services.TryAddSingleton<AppDisposal>();
        return builder.OnInitializeResource((database, @event, cancellationToken) =>
        {
            var services = @event.Services;
            var consumers = services.GetRequiredService<DistributedApplicationModel>().Resources
                .Where(resource => resource.TryGetAnnotationsOfType<ResourceRelationshipAnnotation>(out var relationships)
                    && relationships.Any(relationship => relationship.Resource == database && relationship.Type == ReferenceRelationship))
                .Select(resource => resource.Name)
                .ToList();
            var disposal = services.GetRequiredService<AppDisposal>();
            var stopping = CancellationTokenSource.CreateLinkedTokenSource(
                cancellationToken,
                services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
                disposal.Token);
            var logger = AppModelBuilderExtensions.AppHostLogger(services);
            disposal.WaitsFor(WatchAsync(connectionString, setting, consumers, logger, stopping));
            return Task.CompletedTask;
        });
    }

    private static async Task WatchAsync(string connectionString, string setting, List<string> consumers, ILogger logger, CancellationTokenSource stopping)
    {
        using var _ = stopping;
        // Our own short connections: no pool of ours held open beside notes', and a probe that gives up before the next.
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Multiplexing = false, Timeout = 5 };
        // Where, never the connection string itself: it holds the password.
        var server = $"PostgreSQL at {probe.Host}:{probe.Port} ({setting})";
        var said = false;
        try
        {
            while (true)
            {
                var reason = await UnreachableBecauseAsync(probe.ConnectionString, stopping.Token);
                if (reason is null)
                {
                    if (said)
                    {
                        logger.LogInformation("{Server} can be reached now.", server);
                    }

                    return;
                }

                if (!said)
                {
                    said = true;
                    logger.LogWarning("{Server} cannot be reached: {Reason}. {Consumers} {Verb} trying until it can.",
                        server, reason.TrimEnd('.'), consumers.Count == 0 ? "The services using it" : string.Join(" and ", consumers),
                        consumers.Count == 1 ? "keeps" : "keep");
                }

                await Task.Delay(Interval, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // A failure notes does not retry (a setting Npgsql refuses, TLS): notes exits on it, and the restart line says why.
        }
    }

    /// <summary>
    /// Cancelled when the app is disposed, and the probing waited for: one disposed without being stopped (a test that
    /// only disposes it, a failed start) never fires ApplicationStopping, and the probing would go on every 2 s until the
    /// process ends. Once the app's disposal returns, nothing tries the server, not even an attempt that was under way.
    /// </summary>
    private sealed class AppDisposal : IAsyncDisposable, IDisposable
    {
        private readonly CancellationTokenSource _disposed = new();
        private readonly List<Task> _watches = [];

        public AppDisposal() => Token = _disposed.Token;

        public CancellationToken Token { get; }

        public void WaitsFor(Task watch)
        {
            lock (_watches)
            {
                _watches.Add(watch);
            }
        }

        // Cancelled, not disposed: the source holds no timer, and cancelling twice is harmless where a second
        // disposal would throw. A watch ends on cancellation without throwing.
        public async ValueTask DisposeAsync()
        {
            Dispose();
            Task[] watches;
            lock (_watches)
            {
                watches = [.. _watches];
            }

            await Task.WhenAll(watches);
        }

        /// <summary>A disposal that cannot wait (the container disposed synchronously) still ends the probing.</summary>
        public void Dispose() => _disposed.Cancel();
    }

    /// <summary>
    /// Why the server cannot be reached, as notes' retry sees it (a transient failure), or null once it answers: with
    /// success, or with an error of its own (a wrong password) that notes exits on.
    /// </summary>
    private static async Task<string?> UnreachableBecauseAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (PostgresException exception) when (exception.IsTransient)
        {
            return $"{exception.SqlState}: {exception.MessageText}";
        }
        catch (NpgsqlException exception) when (exception.IsTransient)
        {
            // Npgsql's own words name the host and port already; the innermost says what went wrong there.
            return exception.GetBaseException().Message;
        }
        catch (PostgresException)
        {
            return null;
        }
    }
}
