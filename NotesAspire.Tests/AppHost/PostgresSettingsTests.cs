using Aspire.Hosting.Testing;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>A state folder the local PostgreSQL cannot use: the run stops at once, naming the setting to change.</summary>
public sealed class StateFolderTests
{
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
