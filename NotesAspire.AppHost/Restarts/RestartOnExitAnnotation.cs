namespace Aspire.Hosting.ApplicationModel;

/// <summary>Marks a resource to be started again when it exits on its own, as Compose's <c>restart: always</c> does.</summary>
public sealed class RestartOnExitAnnotation : IResourceAnnotation
{
    /// <summary>The wait before the first restart; it doubles with each restart that follows a short run.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long counts as healthy: the next exit starts again from the first delay.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Why the resource ended, as one line of its log says it (the line as written, and whether on stderr), or null for a
    /// line that does not say: by default any line on stderr. The restart line quotes the last one since the last start.
    /// </summary>
    public ExitReason ReasonIn { get; init; } = StderrLine;

    /// <summary>The default reading: a line on stderr says why, as written; one on stdout says nothing.</summary>
    public static string? StderrLine(string line, bool onStderr) => onStderr ? line : null;

    public TimeSpan DelayBefore(int consecutiveRestart) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(consecutiveRestart, 20)));
}

/// <summary>What a line of a resource's log says about why the resource ended; null when it says nothing about it.</summary>
public delegate string? ExitReason(string line, bool onStderr);
