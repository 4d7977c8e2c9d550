namespace NotesAspire.Dashboard;

/// <summary>One resource of the AppHost as it is now: a process, a database, an executable.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Type,
    string State,
    string? Health,
    IReadOnlyList<string> Endpoints,
    int Restarts,
    DateTimeOffset? StartedAt,
    int? ProcessId);
