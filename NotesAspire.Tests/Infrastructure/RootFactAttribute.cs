namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A test of what only happens when the AppHost runs as root (as in CI): root hands PostgreSQL to another user, since
/// PostgreSQL refuses to run as root; any other user runs it as itself. Reported as skipped, not passed, elsewhere.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "Runs as root only: PostgreSQL is then run as another user.";
        }
    }
}
