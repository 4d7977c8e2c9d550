namespace NotesAspire.Tests.Infrastructure;

/// <summary>A folder of the test's own, deleted with everything in it afterwards.</summary>
public sealed class TemporaryFolder : IDisposable
{
    private TemporaryFolder(string path) => Path = path;

    public string Path { get; }

    /// <remarks>
    /// Made passable (o+x) for other users: run as root, the tests run PostgreSQL as an unprivileged user, whose data
    /// folder lies below this one.
    /// </remarks>
    public static TemporaryFolder Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory($"notesaspire-{prefix}-").FullName;
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return new TemporaryFolder(path);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
