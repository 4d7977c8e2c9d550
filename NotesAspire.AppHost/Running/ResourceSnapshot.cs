namespace NotesAspire.AppHost.Running;

/// <summary>A resource as it is now: what the console prints and the dashboard shows.</summary>
/// <param name="Type">Project, Postgres or PostgresDatabase.</param>
/// <param name="State">One of <see cref="ResourceStates"/>.</param>
/// <param name="Health">Healthy or Unhealthy once the resource's health check has answered while it runs; null before.</param>
public sealed record ResourceSnapshot(
    string Name,
    string Type,
    string State,
    string? Health,
    IReadOnlyList<string> Endpoints,
    int Restarts,
    DateTimeOffset? StartedAt,
    int? ProcessId)
{
    /// <summary>How the process ended, when <see cref="State"/> is Exited or Restarting.</summary>
    public int? ExitCode { get; init; }

    /// <summary>How long until the next start, when <see cref="State"/> is Restarting.</summary>
    public TimeSpan? RestartDelay { get; init; }

    /// <summary>The health while running, else the state: what a user wants to see in one word.</summary>
    public string DisplayState => State == ResourceStates.Running && Health is not null ? Health : State;

    public bool IsHealthy => State == ResourceStates.Running && Health == HealthStates.Healthy;
}
