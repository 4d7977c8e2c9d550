using System.ComponentModel;
using System.Diagnostics;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Publishing;

public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Runs a program to its end, as a user would from a shell, and keeps what it printed.</summary>
public static class CommandLine
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>The AppHost as users run it (<c>dotnet run --project NotesAspire.AppHost -- …</c> runs this same assembly).</summary>
    public static Task<CommandResult> AppHostAsync(params string[] args) =>
        RunAsync(DotnetHost, [Path.Combine(AppContext.BaseDirectory, "NotesAspire.AppHost.dll"), .. args]);

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static async Task<CommandResult> RunAsync(
        string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Repository.Root,
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

    /// <summary>The dotnet that runs the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
