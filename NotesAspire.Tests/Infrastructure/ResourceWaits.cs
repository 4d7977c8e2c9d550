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
}
