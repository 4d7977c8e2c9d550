using System.Reflection;

namespace NotesAspire.AppHost;

/// <summary>Facts of the AppHost's own build, stamped into the assembly (see the .csproj), for finding the services' builds.</summary>
public static class BuildInfo
{
    /// <summary>The folder of NotesAspire.sln.</summary>
    public static string SolutionDirectory => Read(nameof(SolutionDirectory));

    /// <summary>Debug or Release: the services were built with the same.</summary>
    public static string Configuration => Read(nameof(Configuration));

    public static string TargetFramework => Read(nameof(TargetFramework));

    private static string Read(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}
