namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A test that stops and starts the collection's PostgreSQL server: skipped against a server given in
/// NOTESASPIRE_TEST_POSTGRES, which is not the tests' to stop.
/// </summary>
public sealed class OwnPostgresFactAttribute : FactAttribute
{
    public OwnPostgresFactAttribute() => Skip = OwnPostgres.SkipReason;
}

/// <inheritdoc cref="OwnPostgresFactAttribute"/>
public sealed class OwnPostgresTheoryAttribute : TheoryAttribute
{
    public OwnPostgresTheoryAttribute() => Skip = OwnPostgres.SkipReason;
}

internal static class OwnPostgres
{
    public static string? SkipReason => PostgresFixture.ExternalServer is null
        ? null
        : $"Stops and starts the PostgreSQL server, and the one of {PostgresFixture.ExternalServerVariable} is not the tests' to stop.";
}
