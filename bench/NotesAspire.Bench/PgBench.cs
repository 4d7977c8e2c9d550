using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace NotesAspire.Bench;

/// <summary>PostgreSQL's own rate for the statements the service runs: the ceiling the service can approach.</summary>
public static partial class PgBench
{
    public const string SelectById = """
        \set id random(1, 10000)
        SELECT id, description FROM notes WHERE id = :id;
        """;

    public const string Insert = """
        INSERT INTO notes (description) VALUES ('pgbench') RETURNING id;
        """;

    public static async Task<double> RunAsync(string connectionString, string script, int connections, TimeSpan duration)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, script);
        try
        {
            // Extended protocol, unprepared: what Npgsql sends for the service's parameterised commands.
            var output = await Processes.RunAsync("pgbench",
                ["-n", "-M", "extended", "-c", connections.ToString(), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(),
                    "-f", file, "-h", settings.Host!, "-p", settings.Port.ToString(), "-U", settings.Username!, settings.Database!],
                new Dictionary<string, string> { ["PGPASSWORD"] = settings.Password! });
            return double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"tps = ([\d.]+)")]
    private static partial Regex Tps();
}
