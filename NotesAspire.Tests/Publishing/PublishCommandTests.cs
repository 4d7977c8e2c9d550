using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Publishing;

public sealed class PublishCommandTests : IDisposable
{
    // Next to deploy/, so that the Compose build context (the solution folder, relative to the output) is the same "..".
    private readonly string _output = Path.Combine(Repository.Root, $".publish-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task PublishedFilesMatchTheCommittedDeployFolder()
    {
        var result = await CommandLine.AppHostAsync("publish", "--output", _output);
        Assert.True(result.ExitCode == 0, $"publish failed ({result.ExitCode}):\n{result.Output}{result.Error}");

        var published = RelativeFiles(_output);
        var committed = RelativeFiles(DeployFolder.Path);
        var differences = published.Union(committed).Order(StringComparer.Ordinal)
            .Where(file => !published.Contains(file) || !committed.Contains(file)
                || File.ReadAllText(Path.Combine(_output, file)) != File.ReadAllText(Path.Combine(DeployFolder.Path, file)))
            .ToList();

        Assert.True(differences.Count == 0,
            $"deploy/ is not what the AppHost publishes; differing: {string.Join(", ", differences)}. " +
            "Regenerate with: dotnet run --project NotesAspire.AppHost -- publish --output deploy");
    }

    [Fact]
    public async Task PublishingTwiceWritesTheSameBytes()
    {
        var first = Path.Combine(_output, "first");
        var second = Path.Combine(_output, "second");

        Assert.Equal(0, (await CommandLine.AppHostAsync("publish", "--output", first)).ExitCode);
        Assert.Equal(0, (await CommandLine.AppHostAsync("publish", "--output", second)).ExitCode);

        Assert.Equal(RelativeFiles(first), RelativeFiles(second));
        Assert.All(RelativeFiles(first), file =>
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file))));
    }

    [Fact]
    public async Task PublishWithoutAnOutputFolderPrintsUsageAndFails()
    {
        var result = await CommandLine.AppHostAsync("publish");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("publish --output <dir>", result.Error);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    private static SortedSet<string> RelativeFiles(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/')), StringComparer.Ordinal);
}
