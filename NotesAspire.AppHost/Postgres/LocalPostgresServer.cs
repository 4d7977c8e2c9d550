using System.Diagnostics;
using Npgsql;
using NotesAspire.AppHost.Processes;

namespace NotesAspire.AppHost.Postgres;

/// <summary>Where the server keeps its data and how it listens.</summary>
/// <param name="Durable">False skips fsync: for throwaway servers (tests), whose data may be lost on a crash.</param>
public sealed record LocalPostgresOptions(string DataDirectory, int Port, string Password, bool Durable = true)
{
    /// <summary>Receives each line the server writes (its log).</summary>
    public Action<string>? Output { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Starts initdb and the server; the AppHost's launcher ties them to its own life.</summary>
    public IProcessLauncher Launcher { get; init; } = DirectProcessLauncher.Instance;
}

/// <summary>
/// A PostgreSQL server run from the machine's own binaries (<c>initdb</c>, <c>postgres</c>), listening on loopback only,
/// with password authentication for user <c>postgres</c>. PostgreSQL refuses to run as root, so a root caller runs it as
/// an unprivileged system user (<c>postgres</c> when the machine has one, else <c>nobody</c>) through <c>setpriv</c>.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    public const string UserName = "postgres";

    private readonly Process _process;
    private readonly LocalPostgresOptions _options;

    private LocalPostgresServer(Process process, LocalPostgresOptions options)
    {
        _process = process;
        _options = options;
    }

    public int Port => _options.Port;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    public string GetConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _options.Port,
            Username = UserName,
            Password = _options.Password,
            Database = database,
        }.ConnectionString;

    /// <summary>The folder holding <c>initdb</c> and <c>postgres</c>: PATH first, then Debian's versioned folders, newest first.</summary>
    public static string? FindBinDirectory()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres")));
        if (fromPath is not null)
        {
            return fromPath;
        }

        const string debianRoot = "/usr/lib/postgresql";
        return Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
    }

    /// <summary>Creates the cluster when the data folder is new, starts the server and waits until it accepts connections.</summary>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, postgres) are neither on PATH nor under /usr/lib/postgresql/*/bin. " +
            "Install them (Debian: apt-get install postgresql).");
        var runAs = Environment.IsPrivilegedProcess ? UnprivilegedUser.Find() : null;

        if (!File.Exists(Path.Combine(options.DataDirectory, "PG_VERSION")))
        {
            await InitializeClusterAsync(bin, runAs, options, cancellationToken);
        }

        RemoveLockOfZombieServer(options.DataDirectory);
        var arguments = new List<string>
        {
            "-D", options.DataDirectory,
            "-p", options.Port.ToString(),
            "-c", "listen_addresses=127.0.0.1",
            // No Unix socket: its default folder (/var/run/postgresql) is not ours to write, and TCP is all we use.
            "-c", "unix_socket_directories=",
        };
        if (!options.Durable)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        var process = Start(Path.Combine(bin, "postgres"), arguments, runAs, options);
        var server = new LocalPostgresServer(process, options);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Fast shutdown (SIGINT: roll back open transactions, checkpoint), then a kill if it does not end in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Signals.Send(_process.Id, Signals.SIGINT);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private Task WaitUntilReadyAsync(CancellationToken cancellationToken) =>
        new PostgresEndpoint("127.0.0.1", Port, UserName, _options.Password).WaitUntilAcceptingAsync(
            _options.StartTimeout,
            $"The server in {_options.DataDirectory} was made with another password than the one given. Restore that " +
            "password, or start afresh by deleting the data folder (its data is lost).",
            hasFailed: () => _process.HasExited
                ? $"PostgreSQL exited with code {_process.ExitCode} while starting on port {Port} (data in {_options.DataDirectory}). " +
                  "Its log lines above say why; a port in use is the usual cause."
                : null,
            cancellationToken);

    /// <summary>
    /// A server killed along with its parent lingers as a zombie where nothing reaps orphans (PID 1 of some containers and
    /// sandboxes). PostgreSQL takes the zombie's pid, still in postmaster.pid, for a live server and refuses to start.
    /// A zombie runs nothing and its server processes are gone, so its lock no longer guards anything.
    /// </summary>
    private static void RemoveLockOfZombieServer(string dataDirectory)
    {
        var lockFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (File.Exists(lockFile) && int.TryParse(File.ReadLines(lockFile).FirstOrDefault(), out var pid) && IsZombie(pid))
        {
            File.Delete(lockFile);
        }
    }

    private static bool IsZombie(int processId)
    {
        var status = $"/proc/{processId}/status";
        try
        {
            return File.Exists(status) && File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("(zombie)"));
        }
        catch (IOException)
        {
            // Reaped while we looked: gone, and PostgreSQL sees that itself.
            return false;
        }
    }

    private static async Task InitializeClusterAsync(string bin, UnprivilegedUser? runAs, LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        // initdb fills a sibling folder, renamed into place once complete: an interrupted initdb (Ctrl+C, a kill) leaves
        // no half-made cluster for the next start to trip on.
        var staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory)) + ".initdb";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        runAs?.TakeOwnership(staging);
        // The password goes through a file only its owner can read, gone once initdb is done: never in the process list.
        var passwordFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(passwordFile, options.Password, cancellationToken);
            runAs?.TakeOwnership(passwordFile);
            var log = new List<string>();
            var initdb = Start(
                Path.Combine(bin, "initdb"),
                ["-D", staging, "-U", UserName, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale",
                    .. options.Durable ? Array.Empty<string>() : ["--no-sync"]],
                runAs,
                options with { Output = line => { lock (log) { log.Add(line); } options.Output?.Invoke(line); } });
            try
            {
                await initdb.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                initdb.Kill(entireProcessTree: true);
                throw;
            }

            if (initdb.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"initdb failed with code {initdb.ExitCode} for {options.DataDirectory}:{Environment.NewLine}{string.Join(Environment.NewLine, log.TakeLast(10))}");
            }

            if (Directory.Exists(options.DataDirectory))
            {
                // Only an empty folder goes; one holding anything but a cluster is the user's to look at.
                Directory.Delete(options.DataDirectory);
            }

            Directory.Move(staging, options.DataDirectory);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static Process Start(string program, IEnumerable<string> arguments, UnprivilegedUser? runAs, LocalPostgresOptions options)
    {
        var startInfo = runAs is null ? new ProcessStartInfo(program) : new ProcessStartInfo("setpriv");
        if (runAs is not null)
        {
            foreach (var argument in runAs.SetprivArguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            startInfo.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        // A root caller's HOME and locale mean nothing to the unprivileged user; C keeps messages plain.
        startInfo.Environment["LC_ALL"] = "C";

        var process = options.Launcher.Start(startInfo);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) options.Output?.Invoke(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) options.Output?.Invoke(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
