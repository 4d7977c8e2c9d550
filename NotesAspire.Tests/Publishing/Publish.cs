using System.ComponentModel;
using System.Diagnostics;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Publishing;

public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public string Text => Output + Error;
}

/// <summary>Runs programs to their end, as a user would from a shell, and keeps what they printed.</summary>
public static class Publish
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The built AppHost with Aspire's publish arguments, as <c>aspire publish -o</c> and
    /// <c>dotnet run --project NotesAspire.AppHost -- --operation publish --step publish --output-path</c> run it.
    /// </summary>
    /// <param name="step">The pipeline step to run, with the steps it needs.</param>
    public static Task<CommandResult> AppHostAsync(string outputPath, IReadOnlyDictionary<string, string?>? environment = null, string step = "publish") =>
        RunAsync(DotnetHost,
            [Repository.BuiltAssembly("NotesAspire.AppHost"), "--operation", "publish", "--step", step, "--output-path", outputPath],
            environment);

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {s_timeout}.");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>docker-compose, which must be installed: a missing tool fails the test rather than skipping it.</summary>
    public static async Task<CommandResult> DockerComposeAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        try
        {
            return await RunAsync("docker-compose", args, environment);
        }
        catch (Win32Exception)
        {
            Assert.Fail("docker-compose is not installed; on Debian or Ubuntu: apt-get install docker-compose");
            throw;
        }
    }

    /// <summary>Every file below the folder, by its path relative to it with '/' separators.</summary>
    public static SortedSet<string> RelativeFiles(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/')), StringComparer.Ordinal);

    /// <summary>The dotnet that runs the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
