namespace NotesAspire.Dashboard;

/// <summary>A line a resource wrote to its stdout (<see cref="IsError"/> false) or stderr (true).</summary>
public sealed record ConsoleLogLine(long Sequence, DateTimeOffset Time, string ResourceName, string Text, bool IsError);
