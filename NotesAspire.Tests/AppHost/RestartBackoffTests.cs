using NotesAspire.AppHost.Running;

namespace NotesAspire.Tests.AppHost;

public sealed class RestartBackoffTests
{
    [Fact]
    public void DelaysDoubleUpToThirtySeconds()
    {
        var backoff = new RestartBackoff();

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next(healthyFor: TimeSpan.Zero).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
    }

    [Fact]
    public void AMinuteHealthyStartsOverAtOneSecond()
    {
        var backoff = new RestartBackoff();
        backoff.Next(TimeSpan.Zero);
        backoff.Next(TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next(healthyFor: TimeSpan.FromMinutes(1)));
    }
}
