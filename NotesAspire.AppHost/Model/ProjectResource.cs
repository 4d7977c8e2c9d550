namespace NotesAspire.AppHost.Model;

/// <summary>One of the solution's services, built from its project and run as a process (or a container when published).</summary>
public sealed class ProjectResource(string name, string projectPath) : Resource(name)
{
    /// <summary>Absolute path of the .csproj.</summary>
    public string ProjectPath { get; } = projectPath;

    /// <summary>The HTTP port the service listens on, on this machine and when published.</summary>
    public int HttpPort { get; set; }

    /// <summary>Databases and services this one uses, each of which becomes environment variables.</summary>
    public List<Resource> References { get; } = [];

    /// <summary>Extra environment variables declared in the AppHost's Program.cs.</summary>
    public Dictionary<string, string> Environment { get; } = [];
}
