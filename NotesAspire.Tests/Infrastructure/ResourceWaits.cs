using Aspire.Hosting;

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
