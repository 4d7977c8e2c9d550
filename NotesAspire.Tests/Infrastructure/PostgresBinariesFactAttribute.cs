namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A test of the AppHost with the machine's PostgreSQL binaries, where they are (on PATH, or Debian's folders): a machine
/// that tests against an existing server (NOTESASPIRE_TEST_POSTGRES) may have none. Reported as skipped elsewhere.
/// </summary>
public sealed class PostgresBinariesFactAttribute : FactAttribute
{
    public PostgresBinariesFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "postgres")));
        var inDebianFolders = Directory.Exists("/usr/lib/postgresql")
            && Directory.GetDirectories("/usr/lib/postgresql").Any(dir => File.Exists(Path.Combine(dir, "bin", "postgres")));
        if (!onPath && !inDebianFolders)
        {
            Skip = "Needs PostgreSQL's server binaries (initdb, postgres), on PATH or under /usr/lib/postgresql/*/bin.";
        }
    }
}
