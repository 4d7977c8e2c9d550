namespace NotesAspire.Tests.Infrastructure;

/// <summary>Polls until a condition holds, for a generous minute: the tests assert outcomes, never how fast they come.</summary>
public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    public static Task<bool> IsTrue(Func<bool> condition) => IsTrue(() => Task.FromResult(condition()));

    public static async Task<bool> IsTrue(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
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
