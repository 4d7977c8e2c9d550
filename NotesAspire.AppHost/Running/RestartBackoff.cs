namespace NotesAspire.AppHost.Running;

/// <summary>
/// The tutorial's <c>restart: always</c>, without hammering a service that keeps failing: 1 s, 2 s, 4 s… up to 30 s,
/// back to 1 s once a run has stayed healthy for a minute.
/// </summary>
public sealed class RestartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ResetAfterHealthy = TimeSpan.FromMinutes(1);

    private TimeSpan _next = First;

    /// <param name="healthyFor">How long the run that just ended was healthy without a break.</param>
    public TimeSpan Next(TimeSpan healthyFor)
    {
        if (healthyFor >= ResetAfterHealthy)
        {
            _next = First;
        }

        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return delay;
    }
}
