using NotesAspire.AppHost.Running;
using DashboardConsoleLogLine = NotesAspire.Dashboard.ConsoleLogLine;
using DashboardResourceSnapshot = NotesAspire.Dashboard.ResourceSnapshot;

namespace NotesAspire.AppHost.Telemetry;

/// <summary>The AppHost's catalog as the dashboard reads it: copies of the snapshots, taken under the catalog's lock.</summary>
public sealed class DashboardResources(ResourceCatalog catalog) : NotesAspire.Dashboard.IResourceCatalog
{
    public IReadOnlyList<DashboardResourceSnapshot> GetResources() =>
        catalog.GetResources()
            .Select(resource => new DashboardResourceSnapshot(
                resource.Name, resource.Type, resource.State, resource.Health, resource.Endpoints, resource.Restarts, resource.StartedAt, resource.ProcessId))
            .ToList();

    public IReadOnlyList<DashboardConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence) =>
        catalog.GetConsoleLogs(resourceName, afterSequence)
            .Select(line => new DashboardConsoleLogLine(line.Sequence, line.Time, line.ResourceName, line.Text, line.IsError))
            .ToList();
}
