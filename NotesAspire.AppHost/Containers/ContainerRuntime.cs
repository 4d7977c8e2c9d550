using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using NotesAspire.AppHost.Hosting;

namespace NotesAspire.AppHost.Containers;

/// <summary>
/// Whether a container engine answers, asked the way Aspire asks Podman (<c>container ls -n 1</c>): Docker answers that
/// only when its daemon does, and Podman has no daemon, nor <c>docker info</c>'s <c>ServerVersion</c> to format.
/// </summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly Dictionary<string, (string?, string)> Answers = [];

    /// <summary>
    /// The runtime Aspire's orchestrator (DCP) is told to use, read as Aspire reads it: DcpPublisher:ContainerRuntime
    /// (<c>--dcp-container-runtime</c>) when not empty, else the first of ASPIRE_CONTAINER_RUNTIME and
    /// DOTNET_ASPIRE_CONTAINER_RUNTIME that is set, even to nothing; null when that is empty, and DCP finds one itself.
    /// DCP takes docker or podman, in any case but without spaces, and refuses anything else only as the run starts,
    /// after the AppHost's console has said what it chose with it: so anything else is refused here, first.
    /// </summary>
    public static string? Configured(IConfiguration configuration)
    {
        const string Orchestrators = "DcpPublisher:ContainerRuntime";
        var key = !string.IsNullOrEmpty(configuration[Orchestrators])
            ? Orchestrators
            : ((string[])["ASPIRE_CONTAINER_RUNTIME", "DOTNET_ASPIRE_CONTAINER_RUNTIME"]).FirstOrDefault(name => configuration[name] is not null);
        if (key is null || configuration[key] is not { Length: > 0 } value)
        {
            return null;
        }

        var runtime = value.ToLowerInvariant();
        return runtime is "docker" or "podman" ? runtime : throw Settings.Refusal(key, value, "docker or podman");
    }

    /// <summary>
    /// The runtime Aspire will use (<see cref="Configured"/>; unset, docker, else podman) when its engine answers; else
    /// null and why. Asked once per program and runtime: PostgreSQL and the Datadog Agent both want to know.
    /// </summary>
    public static (string? Healthy, string Reason) Probe(IConfiguration configuration)
    {
        // PATH as the configuration has it, which is the environment's: a test gives a folder of its own there, and so
        // knows what answers whatever the machine has.
        var path = configuration["PATH"];
        if (Configured(configuration) is { } configured)
        {
            return Probe(configured, path);
        }

        var docker = Probe("docker", path);
        return docker.Healthy is null && Probe("podman", path) is { Healthy: not null } podman ? podman : docker;
    }

    private static (string? Healthy, string Reason) Probe(string runtime, string? path)
    {
        if (Find(runtime, path) is not { } program)
        {
            return (null, $"{runtime} is not installed");
        }

        lock (Answers)
        {
            if (!Answers.TryGetValue(program, out var answer))
            {
                Answers[program] = answer = Ask(runtime, program);
            }

            return answer;
        }
    }

    /// <summary>The program on PATH, as DCP looks it up: absolute folders only, and a file this system would run.</summary>
    private static string? Find(string runtime, string? path)
    {
        var file = OperatingSystem.IsWindows() ? $"{runtime}.exe" : runtime;
        return (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Select(folder => Path.Combine(folder, file))
            .FirstOrDefault(IsProgram);
    }

    private static bool IsProgram(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static (string? Healthy, string Reason) Ask(string runtime, string program)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, ["container", "ls", "-n", "1"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"'{runtime} container ls' did not answer within {Timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? (runtime, $"{runtime} answers")
                : (null, $"no {runtime} engine answers");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Found on PATH, but not a program this user can run.
            return (null, $"{runtime} is not installed");
        }
    }
}
