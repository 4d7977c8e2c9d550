using Aspire.Hosting.Testing;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>A PostgreSQL setting that cannot work: the run stops at once, naming the setting to change.</summary>
public sealed class PostgresSettingsTests
{
    [Fact]
    public async Task AConnectionStringThatIsNotOneIsRefusedWithoutEchoingIt()
    {
        const string Given = "this is not a connection string, Password=Secret7f3a";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            [$"ConnectionStrings:notesdb={Given}"]));

        var message = failure.GetBaseException().Message;
        Assert.StartsWith("ConnectionStrings__notesdb is not a PostgreSQL connection string", message);
        Assert.DoesNotContain("Secret7f3a", message);
    }

    [Fact]
    public async Task AFileGivenAsTheStateFolderIsRefusedNamingTheSetting()
    {
        using var folder = TemporaryFolder.Create("state-file");
        var file = Path.Combine(folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            ["NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={file}"]));

        Assert.StartsWith($"The state folder {file} (NOTESASPIRE_STATE_DIR) cannot hold PostgreSQL's data:", failure.GetBaseException().Message);
    }
}
