namespace NotesAspire.AppHost.Model;

/// <summary>A part of the application the AppHost starts (run) or describes (publish): a server, a database, a service.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    public override string ToString() => Name;
}
