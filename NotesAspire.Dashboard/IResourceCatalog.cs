namespace NotesAspire.Dashboard;

/// <summary>What the dashboard shows about the resources the AppHost runs. The AppHost implements it.</summary>
public interface IResourceCatalog
{
    IReadOnlyList<ResourceSnapshot> GetResources();

    /// <summary>The console lines of a resource whose <see cref="ConsoleLogLine.Sequence"/> is above <paramref name="afterSequence"/>, oldest first.</summary>
    IReadOnlyList<ConsoleLogLine> GetConsoleLogs(string resourceName, long afterSequence);
}
