using NotesAspire.Dashboard;

namespace NotesAspire.Tests.Dashboard;

/// <summary>A catalog the tests fill themselves, standing in for the AppHost's.</summary>
public sealed class TestResourceCatalog : IResourceCatalog
{
    private readonly Lock _lock = new();
    private readonly List<ResourceSnapshot> _resources = [];
    private readonly List<ConsoleLogLine> _lines = [];

    public void Add(ResourceSnapshot resource)
    {
        lock (_lock)
        {
            _resources.Add(resource);
        }
    }

    public void Write(string resourceName, string text, bool isError = false)
    {
        lock (_lock)
        {
            _lines.Add(new ConsoleLogLine(_lines.Count + 1, DateTimeOffset.UtcNow, resourceName, text, isError));
        }
    }

    public IReadOnlyList<ResourceSnapshot> GetResources()
    {
        lock (_lock)
        {
            return _resources.ToList();
        }
    }

    public IReadOnlyList<ConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence)
    {
        lock (_lock)
        {
            return _lines.Where(l => l.ResourceName == resourceName && l.Sequence > afterSequence).ToList();
        }
    }

    public static ResourceSnapshot Running(string name, string endpoint = "http://localhost:8080") =>
        new(name, "Project", "Running", "Healthy", [endpoint], 0, DateTimeOffset.UtcNow, Environment.ProcessId);
}
