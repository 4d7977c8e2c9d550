using NotesAspire.AppHost.Postgres;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A test of the AppHost with the machine's PostgreSQL binaries, where the AppHost finds them: a machine that tests
/// against an existing server (NOTESASPIRE_TEST_POSTGRES) may have none. Reported as skipped elsewhere.
/// </summary>
public sealed class PostgresBinariesFactAttribute : FactAttribute
{
    public PostgresBinariesFactAttribute()
    {
        if (LocalPostgresCluster.InstalledBinDirectories().Count == 0)
        {
            Skip = "Needs PostgreSQL's server binaries (initdb, postgres), on PATH or under /usr/lib/postgresql/*/bin.";
        }
    }
}
