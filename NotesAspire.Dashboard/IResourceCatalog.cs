namespace NotesAspire.Dashboard;

/// <summary>
/// What the dashboard shows about the resources the AppHost runs. The AppHost implements it; the dashboard calls it from
/// request threads, concurrently, each time a page polls (every second or two), so it must be thread-safe and cheap.
/// </summary>
public interface IResourceCatalog
{
    IReadOnlyList<ResourceSnapshot> GetResources();

    /// <summary>The console lines of a resource whose <see cref="ConsoleLogLine.Sequence"/> is above <paramref name="afterSequence"/>, oldest first.</summary>
    IReadOnlyList<ConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence);
}
