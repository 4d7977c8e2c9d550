using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NotesAspire.Bench;

public sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests);

/// <summary>HTTP load from wrk (Debian's package), a separate process written in C, so the client costs little CPU.</summary>
public static partial class Wrk
{
    public static async Task<LoadResult> RunAsync(Uri target, string luaScript, int connections, TimeSpan duration)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, luaScript);
        try
        {
            var output = await Processes.RunAsync("wrk",
                ["-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, target.ToString()]);
            var errors = NonSuccess().Match(output) is { Success: true } failed ? long.Parse(failed.Groups[1].Value) : 0;
            errors += SocketErrors().Matches(output).Sum(match => long.Parse(match.Groups[1].Value));
            return new LoadResult(
                double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
                Latency(output, "50"),
                Latency(output, "99"),
                errors,
                long.Parse(Total().Match(output).Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Total();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}

public static class Processes
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed with code {process.ExitCode}: {await error}");
        }

        return await output + await error;
    }
}
