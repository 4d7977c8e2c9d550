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
    /// The runtime Aspire's orchestrator (DCP) will use: ASPIRE_CONTAINER_RUNTIME (else DOTNET_ASPIRE_CONTAINER_RUNTIME),
    /// docker when unset. DCP takes docker or podman, in any case, and refuses anything else only as the run starts,
    /// after the AppHost's console has said what it chose with it: so anything else is refused here, first.
    /// </summary>
    public static string Configured(IConfiguration configuration)
    {
        var (name, value) = configuration["ASPIRE_CONTAINER_RUNTIME"] is { } aspire
            ? ("ASPIRE_CONTAINER_RUNTIME", aspire)
            : ("DOTNET_ASPIRE_CONTAINER_RUNTIME", configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"]);
        return value switch
        {
            null or "" => "docker",
            _ when value.Equals("docker", StringComparison.OrdinalIgnoreCase) => "docker",
            _ when value.Equals("podman", StringComparison.OrdinalIgnoreCase) => "podman",
            _ => throw Settings.Refusal(name, value, "docker or podman"),
        };
    }

    /// <summary>
    /// The runtime Aspire will use (<see cref="Configured"/>) when its engine answers; else null and why. Asked once per
    /// program: PostgreSQL and the Datadog Agent both want to know.
    /// </summary>
    public static (string? Healthy, string Reason) Probe(IConfiguration configuration)
    {
        var runtime = Configured(configuration);
        // Looked up on PATH, as DCP looks it up. PATH as the configuration has it, which is the environment's: a test
        // gives a folder of its own there, and so knows what answers whatever the machine has.
        if (Find(runtime, configuration["PATH"]) is not { } program)
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

    private static string? Find(string runtime, string? path)
    {
        var file = OperatingSystem.IsWindows() ? $"{runtime}.exe" : runtime;
        return (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, file))
            .FirstOrDefault(File.Exists);
    }

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
