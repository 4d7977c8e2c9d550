namespace NotesAspire.Tests.Infrastructure;

/// <summary>Where the solution and its built projects are, seen from the test assembly.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the tests run against the services built with the same configuration as themselves.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The built assembly of one of the solution's projects, e.g. <c>NotesAspire.Notes</c>.</summary>
    public static string BuiltAssembly(string project)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built; run dotnet build first.", path);
    }

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
