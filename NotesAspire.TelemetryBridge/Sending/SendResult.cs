using System.Globalization;

namespace NotesAspire.TelemetryBridge.Sending;

public enum SendOutcome
{
    /// <summary>The destination took it.</summary>
    Sent,

    /// <summary>Not reachable, too busy or too slow: try the same request again later.</summary>
    Retry,

    /// <summary>The destination refused the request itself: sending it again would be refused again.</summary>
    Rejected,

    /// <summary>The destination refused the request for its size: smaller parts of it may pass.</summary>
    TooLarge,

    /// <summary>The destination takes no requests of this signal (the agent's trace API takes traces only): not sent, not an error.</summary>
    NotCarried,
}

/// <param name="Answer">Why, in the destination's words where it gave any.</param>
/// <param name="Code">The answer's status (HTTP status or gRPC code), to say each kind of refusal once.</param>
/// <param name="After">How long a busy destination asked to be left alone before the next attempt (HTTP's Retry-After,
/// gRPC's RetryInfo), where it said.</param>
public sealed record SendResult(SendOutcome Outcome, string Answer = "", string Code = "", TimeSpan? After = null)
{
    public static readonly SendResult Sent = new(SendOutcome.Sent);

    /// <summary>Taken, but with part of it rejected (OTLP's partial success): <paramref name="what"/> says how much and why.</summary>
    public static SendResult PartlySent(string what) => new(SendOutcome.Sent, what);

    public static SendResult Retry(string why, TimeSpan? after = null) =>
        new(SendOutcome.Retry, after is { } wait ? string.Create(CultureInfo.InvariantCulture, $"{why}; it asked for {wait.TotalSeconds:0.###} s before the next attempt") : why, After: after);

    public static SendResult Rejected(string code, string answer) => new(SendOutcome.Rejected, answer, code);

    public static SendResult TooLarge(string code, string answer) => new(SendOutcome.TooLarge, answer, code);

    public static SendResult NotCarried(string why) => new(SendOutcome.NotCarried, why);
}
