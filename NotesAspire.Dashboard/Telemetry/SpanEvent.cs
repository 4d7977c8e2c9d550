namespace NotesAspire.Dashboard.Telemetry;

/// <summary>A timed event of a span; an exception is the event named <c>exception</c>.</summary>
public sealed record SpanEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, string> Attributes);
