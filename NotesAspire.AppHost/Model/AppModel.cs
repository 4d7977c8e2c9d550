namespace NotesAspire.AppHost.Model;

/// <summary>The whole application as declared in Program.cs: what both running and publishing read.</summary>
public sealed class AppModel(IReadOnlyList<Resource> resources, ServiceTags tags)
{
    public IReadOnlyList<Resource> Resources { get; } = resources;

    public ServiceTags Tags { get; } = tags;

    public IEnumerable<T> OfType<T>() where T : Resource => Resources.OfType<T>();
}
