using System.Diagnostics;
using Microsoft.Extensions.Configuration;

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
    /// The runtime Aspire will use (ASPIRE_CONTAINER_RUNTIME, else docker) when its engine answers; else null and why.
    /// Asked once per run: PostgreSQL and the Datadog Agent both want to know.
    /// </summary>
    public static (string? Healthy, string Reason) Probe(string? configured)
    {
        var runtime = string.IsNullOrWhiteSpace(configured) ? "docker" : configured.Trim();
        lock (Answers)
        {
            if (!Answers.TryGetValue(runtime, out var answer))
            {
                Answers[runtime] = answer = Ask(runtime);
            }

            return answer;
        }
    }

    public static (string? Healthy, string Reason) Probe(IConfiguration configuration) =>
        Probe(configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"]);

    private static (string? Healthy, string Reason) Ask(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["container", "ls", "-n", "1"])
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
            return (null, $"{runtime} is not installed");
        }
    }
}
