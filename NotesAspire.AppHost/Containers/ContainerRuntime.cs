using System.Diagnostics;

namespace NotesAspire.AppHost.Containers;

/// <summary>Docker or Podman, driven through its CLI: what runs the containers (PostgreSQL, the Datadog Agent) when one answers.</summary>
public sealed record ContainerRuntime(string Name)
{
    private static readonly string[] Candidates = ["docker", "podman"];

    /// <summary>The first runtime whose CLI is installed and whose engine answers, or null; fails fast when none does.</summary>
    public static async Task<ContainerRuntime?> FindAsync()
    {
        foreach (var candidate in Candidates)
        {
            var runtime = new ContainerRuntime(candidate);
            if (await runtime.AnswersAsync())
            {
                return runtime;
            }
        }

        return null;
    }

    /// <summary>Runs the CLI to the end; returns its exit code and what it wrote to standard error.</summary>
    /// <param name="environment">Added to the CLI's own: where <c>-e NAME</c> (without a value) takes a secret from, off the command line.</param>
    public async Task<(int ExitCode, string Errors)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(Name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {Name}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            await output;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await errors);
    }

    public override string ToString() => Name;

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return (await RunAsync(["info"], timeout.Token)).ExitCode == 0;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }
}
