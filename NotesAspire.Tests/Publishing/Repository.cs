namespace NotesAspire.Tests.Publishing;

/// <summary>The checkout the tests run from, found by walking up from the test assembly to NotesAspire.sln.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string ComposeFile => Path.Combine(Deploy, "docker-compose.yaml");

    public static string KubernetesFolder => Path.Combine(Deploy, "kubernetes");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NotesAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NotesAspire.sln above {AppContext.BaseDirectory}.");
    }
}
