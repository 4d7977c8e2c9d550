namespace Aspire.Hosting.ApplicationModel;

/// <summary>Marks a resource to be started again when it exits on its own, as Compose's <c>restart: always</c> does.</summary>
public sealed class RestartOnExitAnnotation : IResourceAnnotation
{
    /// <summary>The wait before the first restart; it doubles with each restart that follows a short run.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long counts as healthy: the next exit starts again from the first delay.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan DelayBefore(int consecutiveRestart) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(consecutiveRestart, 20)));
}
