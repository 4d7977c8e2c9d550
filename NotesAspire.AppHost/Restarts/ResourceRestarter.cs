using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NotesAspire.AppHost.Restarts;

/// <summary>
/// Watches the resources marked with <see cref="RestartOnExitAnnotation"/> and starts each again, through Aspire's own
/// start command, when it goes from running straight to ended (<c>Finished</c> or <c>Exited</c>), or is first seen
/// ended, having started before the watch began. A stop asked for
/// (dashboard Stop, AppHost shutdown) goes through <c>Stopping</c> first, so it is never taken for an end on its own,
/// whatever DCP reports next (PostgreSQL from the machine's binaries, stopped, is <c>Finished</c> with exit code 0). A
/// container stopped on request exits with code 0, one that crashed or was killed with another.
/// </summary>
internal sealed class ResourceRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    ILogger<ResourceRestarter> logger) : IDistributedApplicationEventingSubscriber
{
    public const string RestartsProperty = "restarts";

    private const string UnhandledException = "Unhandled exception. ";
    private const int MaxCauseLength = 300;

    /// <summary>How Aspire's resource logs write the time before each line (round-trip, UTC).</summary>
    private const string LogTimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffffffK";
    private static readonly TimeSpan CauseGrace = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, Tracked> _tracked = new();

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (executionContext.IsRunMode)
        {
            eventing.Subscribe<AfterResourcesCreatedEvent>((_, _) =>
            {
                _ = Task.Run(() => WatchAsync(lifetime.ApplicationStopping));
                return Task.CompletedTask;
            });
        }

        return Task.CompletedTask;
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stopping))
            {
                if (!update.Resource.TryGetLastAnnotation<RestartOnExitAnnotation>(out var policy))
                {
                    continue;
                }

                var tracked = _tracked.GetOrAdd(update.ResourceId, id =>
                {
                    var added = new Tracked();
                    _ = KeepCauseAsync(id, added, policy, stopping);
                    return added;
                });
                var state = update.Snapshot.State?.Text;
                if (string.IsNullOrEmpty(state))
                {
                    // DCP publishes snapshots without a state too (seen between Starting and Running): they are no step
                    // of a run, and taken for one they hid a Running before its Finished, and so the restart.
                    continue;
                }

                var previous = tracked.State;
                tracked.State = state;
                if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
                {
                    Interlocked.Increment(ref tracked.Runs);
                }

                if (update.Snapshot.StartTimeStamp is { } started && (state == KnownResourceStates.Running || tracked.StartedAt is null))
                {
                    tracked.StartedAt = started;
                }

                if (WasStarted(previous, update.Snapshot) && EndedOnItsOwn(update.Resource, state, update.Snapshot.ExitCode) && !stopping.IsCancellationRequested)
                {
                    _ = RestartAsync(update, tracked, policy, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Whether the state before an end was a run: Running, or nothing seen at all for a program that had started and
    /// ended before this watch began. A stop asked for goes through Stopping, and an end seen twice has an end before it:
    /// neither is a run that ended. Not Starting: DCP may report the previous run's end late, after a Start from the
    /// dashboard, which is no end of the run starting.
    /// </summary>
    private static bool WasStarted(string? previous, CustomResourceSnapshot snapshot) =>
        previous == KnownResourceStates.Running || (previous is null && snapshot.StartTimeStamp is not null);

    private static bool EndedOnItsOwn(IResource resource, string? state, int? exitCode) => resource is ContainerResource
        ? state == KnownResourceStates.Exited && exitCode is not 0
        : state == KnownResourceStates.Finished || state == KnownResourceStates.Exited;

    private async Task RestartAsync(ResourceEvent ended, Tracked tracked, RestartOnExitAnnotation policy, CancellationToken stopping)
    {
        var ranFor = DateTime.UtcNow - (tracked.StartedAt ?? DateTime.UtcNow);
        // The first restart after a long run waits the first delay, as the very first does; each after a short run doubles it.
        tracked.Consecutive = ranFor >= policy.StableAfter ? 1 : tracked.Consecutive + 1;
        var delay = policy.DelayBefore(tracked.Consecutive - 1);
        var restarts = Interlocked.Increment(ref tracked.Total);
        var (endedIn, run) = (tracked.State, tracked.Runs);

        try
        {
            // The process's last words and the news of its end come on separate streams: give the words a moment to arrive.
            await Task.Delay(CauseGrace, stopping);
            var cause = tracked.Cause is { } said && said.At >= tracked.StartedAt ? $" ({said.Text})" : "";
            var message = $"{ended.ResourceId} exited with code {ended.Snapshot.ExitCode?.ToString() ?? "unknown"}{cause}; starting it again in {delay.TotalSeconds:0} s (restart {restarts}).";
            logger.LogWarning("{Message}", message);
            resourceLogs.GetLogger(ended.ResourceId).LogWarning("{Message}", message);
            await PublishRestartsAsync(ended, restarts);

            await Task.Delay(delay, stopping);
            // Someone used the dashboard's Start (and maybe Stop) during the wait: what they chose stands, and this restart
            // does not count. Aspire's start command would replace a running process, and start one stopped on purpose.
            // (A click between this check and the command below still meets a start: that moment cannot be closed.)
            if (tracked.Runs != run || tracked.State != endedIn)
            {
                tracked.Consecutive--;
                var counted = Interlocked.Decrement(ref tracked.Total);
                await PublishRestartsAsync(ended, counted);
                var skipped = $"{ended.ResourceId} was started or stopped meanwhile; it is not started again.";
                logger.LogInformation("{Message}", skipped);
                resourceLogs.GetLogger(ended.ResourceId).LogInformation("{Message}", skipped);
                return;
            }

            var result = await commands.ExecuteCommandAsync(ended.ResourceId, KnownResourceCommands.StartCommand, stopping);
            if (!result.Success)
            {
                logger.LogError("Starting {Resource} again failed: {Error}", ended.ResourceId, result.Message);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Starting {Resource} again failed.", ended.ResourceId);
        }
    }

    /// <summary>The resource's <c>restarts</c> property; none while it has not been started again.</summary>
    private Task PublishRestartsAsync(ResourceEvent resource, int restarts) =>
        notifications.PublishUpdateAsync(resource.Resource, resource.ResourceId, snapshot =>
        {
            var others = snapshot.Properties.Where(p => p.Name != RestartsProperty);
            return snapshot with { Properties = restarts > 0 ? [.. others, new ResourcePropertySnapshot(RestartsProperty, restarts)] : [.. others] };
        });

    /// <summary>
    /// A line as the program wrote it: the resource's log keeps each after the time it was written, in one format
    /// (<c>2026-11-30T09:13:08.1910000Z Killed</c>), and the restart line says when by itself.
    /// </summary>
    private static string AfterTimestamp(string content)
    {
        var space = content.IndexOf(' ');
        return space > 0 && DateTime.TryParseExact(content.AsSpan(0, space), LogTimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
            ? content[(space + 1)..]
            : content;
    }

    /// <summary>
    /// Keeps what the resource last said about a failure (by default on stderr; <see cref="RestartOnExitAnnotation.ReasonIn"/>),
    /// so the restart line on the AppHost's console says why (a wrong password, a port in use), not only that it exited:
    /// the reason is otherwise in the resource's own console alone. The restart lines the AppHost writes into this log are
    /// warnings, not the process's stderr: the default passes them by.
    /// </summary>
    private async Task KeepCauseAsync(string resourceId, Tracked tracked, RestartOnExitAnnotation policy, CancellationToken stopping)
    {
        try
        {
            await foreach (var lines in resourceLogs.WatchAsync(resourceId).WithCancellation(stopping))
            {
                foreach (var line in lines)
                {
                    if (policy.ReasonIn(AfterTimestamp(line.Content), line.IsErrorMessage) is not { } reason)
                    {
                        continue;
                    }

                    // .NET's last words, kept over the stack trace that follows them; for any other program, its last line.
                    var unhandled = reason.IndexOf(UnhandledException, StringComparison.Ordinal);
                    var kept = tracked.Cause;
                    var keptThisRunsUnhandled = kept is not null && kept.At >= tracked.StartedAt && kept.Text.StartsWith(UnhandledException, StringComparison.Ordinal);
                    if (unhandled >= 0 || !keptThisRunsUnhandled)
                    {
                        var text = unhandled >= 0 ? reason[unhandled..] : reason.Trim();
                        if (text.Length == 0)
                        {
                            // A blank line says nothing, and must not hide the line before it.
                            continue;
                        }

                        tracked.Cause = new Said(text.Length <= MaxCauseLength ? text : text[..MaxCauseLength] + "…", DateTime.UtcNow);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "The restart lines of {Resource} will not say why it ended: its log could not be read.", resourceId);
        }
    }

    /// <summary>A line a resource wrote, and when it was read: a line from before its last start explains nothing.</summary>
    private sealed record Said(string Text, DateTime At);

    private sealed class Tracked
    {
        /// <summary>Written by the log watcher, read by a restart.</summary>
        public volatile Said? Cause;

        public string? State { get; set; }
        public DateTime? StartedAt { get; set; }
        public int Consecutive { get; set; }
        public int Total;

        /// <summary>How many times it has come to run: a restart waiting when this changes is no longer wanted.</summary>
        public int Runs;
    }
}
