using NotesAspire.AppHost.Running;
using DashboardResourceSnapshot = NotesAspire.Dashboard.ResourceSnapshot;

namespace NotesAspire.AppHost.Telemetry;

/// <summary>The AppHost's catalog as the dashboard reads it: copies of the snapshots, taken under the catalog's lock, and its console lines as they are.</summary>
public sealed class DashboardResources(ResourceCatalog catalog) : NotesAspire.Dashboard.IResourceCatalog
{
    public IReadOnlyList<DashboardResourceSnapshot> GetResources() =>
        catalog.GetResources()
            .Select(resource => new DashboardResourceSnapshot(
                resource.Name, resource.Type, resource.State, resource.Health, resource.Endpoints, resource.Restarts, resource.StartedAt, resource.ProcessId))
            .ToList();

    // The catalog keeps the dashboard's own record for console lines: they need no copy.
    public IReadOnlyList<NotesAspire.Dashboard.ConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence) =>
        catalog.GetConsoleLogs(resourceName, afterSequence);
}
