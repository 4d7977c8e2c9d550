namespace NotesAspire.Tests.Infrastructure;

/// <summary>Polls until a condition holds, for a generous minute: the tests assert outcomes, never how fast they come.</summary>
public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    public static Task<bool> IsTrue(Func<bool> condition) => IsTrue(() => Task.FromResult(condition()));

    /// <summary>Until a request succeeds: a connection refused, dropped or timed out means "not yet".</summary>
    public static Task<bool> Serves(Func<Task<bool>> request, TimeSpan? within = null) => IsTrue(async () =>
    {
        try
        {
            return await request();
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            return false;
        }
    }, within);

    public static async Task<bool> IsTrue(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Timeout);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
