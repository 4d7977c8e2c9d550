using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace NotesAspire.Tests.Infrastructure;

public static class ResourceWaits
{
    /// <summary>A bound far above any real start here: past it, a resource that never gets healthy fails the test instead of hanging the run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task WaitUntilHealthyAsync(this DistributedApplication app, string resource)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The resource '{resource}' was not healthy within {Timeout.TotalMinutes} min; its console in the test output says why.");
        }
    }

    /// <summary>
    /// Stops the resource as the dashboard's Stop does, and waits until its state says it ended: Aspire's stop command
    /// returns before that, and a request sent in between may still meet the process, or a start take that late end for
    /// a start that failed.
    /// </summary>
    public static async Task StopResourceAsync(this DistributedApplication app, string resource)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, result.Message);
        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, timeout.Token);
    }

    /// <summary>
    /// The first line of a resource's log (as the log keeps it, after the time it was written) that contains
    /// <paramref name="text"/>, waited for; null when none comes within <see cref="Eventually.Timeout"/>.
    /// </summary>
    public static async Task<string?> LogLineAsync(this DistributedApplication app, string resourceId, string text)
    {
        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        try
        {
            await foreach (var lines in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resourceId).WithCancellation(timeout.Token))
            {
                if (lines.Select(line => line.Content).FirstOrDefault(content => content.Contains(text, StringComparison.Ordinal)) is { } found)
                {
                    return found;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        return null;
    }

    /// <summary>
    /// Stops and disposes an application a fixture built, or nothing when it never got that far: xunit disposes a fixture
    /// whose start failed too, and what did start must stop without a second failure hiding the first.
    /// </summary>
    public static async Task StopAndDisposeAsync(this DistributedApplication? app)
    {
        if (app is null)
        {
            return;
        }

        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
