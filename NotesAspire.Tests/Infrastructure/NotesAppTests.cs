namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A test class with a notes application of its own (its own database, calendar and notes processes), started before
/// its tests and stopped after them. The tests of a class share it, each working on notes it creates itself.
/// </summary>
public abstract class NotesAppTests(PostgresFixture postgres) : IAsyncLifetime
{
    protected NotesApp App { get; private set; } = null!;

    protected HttpClient Notes { get; private set; } = null!;

    /// <summary>Variables both services get on top of what the AppHost would give them.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    public virtual async Task InitializeAsync()
    {
        App = await NotesApp.StartAsync(postgres, Environment);
        Notes = App.Notes.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        Notes.Dispose();
        await App.DisposeAsync();
    }
}
