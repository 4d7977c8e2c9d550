using NotesAspire.AppHost.Running;
using ConsoleLogLine = NotesAspire.Dashboard.ConsoleLogLine;

namespace NotesAspire.AppHost.Terminal;

/// <summary>
/// The AppHost's console, as <c>docker compose up</c> shows one: each resource's state changes as dated lines, and
/// each resource's output prefixed with its name, in one colour per resource.
/// </summary>
public sealed class ConsoleReporter : IDisposable
{
    private static readonly string[] Palette = ["36", "33", "32", "35", "34", "96", "93", "92"];

    private readonly ResourceCatalog _catalog;
    private readonly TextWriter _output;
    private readonly Dictionary<string, string> _colors;
    private readonly int _nameWidth;
    private readonly bool _useColor;

    public ConsoleReporter(ResourceCatalog catalog, TextWriter output, bool useColor)
    {
        _catalog = catalog;
        _output = output;
        _useColor = useColor;
        var names = catalog.GetResources().Select(resource => resource.Name).ToList();
        _colors = names.Select((name, index) => (name, Palette[index % Palette.Length])).ToDictionary(pair => pair.name, pair => pair.Item2);
        _nameWidth = names.Max(name => name.Length);
        catalog.ResourceChanged += OnResourceChanged;
        catalog.ConsoleLogAdded += OnConsoleLogAdded;
    }

    /// <summary>ANSI colours for a terminal; none when the output goes to a file or a pipe, or the user set NO_COLOR.</summary>
    public static bool ShouldUseColor =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public void Dispose()
    {
        _catalog.ResourceChanged -= OnResourceChanged;
        _catalog.ConsoleLogAdded -= OnConsoleLogAdded;
    }

    private void OnResourceChanged(ResourceSnapshot now, ResourceSnapshot before)
    {
        if (now.DisplayState == before.DisplayState && now.ProcessId == before.ProcessId)
        {
            return;
        }

        var detail = now.DisplayState switch
        {
            ResourceStates.Running when now.ProcessId is { } pid => $"(pid {pid})",
            ResourceStates.Exited when now.ExitCode is { } code => $"(exit code {code})",
            ResourceStates.Restarting => $"in {now.RestartDelay?.TotalSeconds:0} s (restart {now.Restarts})",
            _ => "",
        };
        var line = $"[{DateTimeOffset.Now:HH:mm:ss}] {Paint(now.Name, now.Name.PadRight(_nameWidth))} {now.DisplayState,-10} {string.Join(' ', now.Endpoints)} {detail}";
        _output.WriteLine(line.TrimEnd());
    }

    private void OnConsoleLogAdded(ConsoleLogLine line) =>
        _output.WriteLine($"{Paint(line.ResourceName, $"{line.ResourceName.PadRight(_nameWidth)} |")} {line.Text}");

    private string Paint(string resource, string text) => _useColor ? $"\u001b[{_colors[resource]}m{text}\u001b[0m" : text;
}
