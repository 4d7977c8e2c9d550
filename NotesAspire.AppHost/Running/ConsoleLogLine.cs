namespace NotesAspire.AppHost.Running;

/// <summary>One line a resource wrote; sequence numbers grow across all resources, so a reader can ask for what is new.</summary>
public sealed record ConsoleLogLine(long Sequence, DateTimeOffset Time, string ResourceName, string Text, bool IsError);
