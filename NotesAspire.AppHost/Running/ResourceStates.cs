namespace NotesAspire.AppHost.Running;

public static class ResourceStates
{
    public const string NotStarted = "NotStarted";
    /// <summary>Blocked on WaitFor: something it needs is not healthy yet.</summary>
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    /// <summary>Exited unexpectedly; starts again after a backoff delay.</summary>
    public const string Restarting = "Restarting";
    public const string Exited = "Exited";
    public const string Stopping = "Stopping";
    public const string Stopped = "Stopped";
    /// <summary>Could not start at all (e.g. PostgreSQL refused to start); the AppHost stops.</summary>
    public const string FailedToStart = "FailedToStart";
}

public static class HealthStates
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
}

public static class ResourceTypes
{
    public const string Project = "Project";
    public const string Postgres = "Postgres";
    public const string PostgresDatabase = "PostgresDatabase";
}
