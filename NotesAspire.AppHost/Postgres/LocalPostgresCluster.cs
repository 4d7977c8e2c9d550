using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using System.Security.Cryptography;

namespace NotesAspire.AppHost.Postgres;

/// <summary>
/// A PostgreSQL cluster kept in a folder of ours, made by the machine's own <c>initdb</c>: the data folder, and the
/// generated password beside it (readable by its owner only), since a cluster's password is fixed when it is made.
/// PostgreSQL refuses to run as root, so a root caller makes and runs it as an unprivileged system user.
/// </summary>
internal sealed class LocalPostgresCluster
{
    public const string UserName = "postgres";

    private static readonly TimeSpan InitdbTimeout = TimeSpan.FromMinutes(2);

    public LocalPostgresCluster(string stateDirectory)
    {
        Folder = Path.Combine(stateDirectory, "postgres");
        BinDirectory = FindBinDirectory();
        RunAs = Environment.IsPrivilegedProcess ? UnprivilegedUser.Find() : null;
        try
        {
            CreateFolder(Folder);
            Password = ReadOrCreatePassword(Path.Combine(Folder, "password"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DistributedApplicationException(
                $"The state folder {stateDirectory} (NOTESASPIRE_STATE_DIR) cannot hold PostgreSQL's data: {exception.Message}");
        }

        if (RunAs is not null && !RunAs.CanEnter(Folder))
        {
            // initdb would fail on it, and the reason would reach only the postgres resource's log.
            var blocking = Ancestors(Folder).First(directory => !RunAs.CanEnter(directory));
            var aboveStateFolder = blocking.Length < Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateDirectory)).Length;
            throw new DistributedApplicationException(aboveStateFolder
                ? $"PostgreSQL runs as {RunAs.Name}, which cannot pass through {blocking} to reach the state folder {stateDirectory}. " +
                  "Set NOTESASPIRE_STATE_DIR to a folder outside it (root's default is /var/lib/notesaspire)."
                : $"PostgreSQL runs as {RunAs.Name}, which cannot enter {blocking}, where its data goes. " +
                  $"Let it pass (chmod o+x {blocking}), or set NOTESASPIRE_STATE_DIR to another folder.");
        }
    }

    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string? BinDirectory { get; }

    public UnprivilegedUser? RunAs { get; }

    public string Password { get; }

    public string PostgresProgram => Path.Combine(BinDirectory ?? throw BinariesMissing(), "postgres");

    /// <summary>The folders holding <c>initdb</c> and <c>postgres</c>: PATH's first, then Debian's versioned folders, newest first.</summary>
    public static IReadOnlyList<string> InstalledBinDirectories()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres")))
            .Take(1);
        const string debianRoot = "/usr/lib/postgresql";
        IEnumerable<string> fromDebian = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
            : [];
        return [.. fromPath.Concat(fromDebian)];
    }

    /// <summary>
    /// The first of <see cref="InstalledBinDirectories"/>; for an existing cluster, the first of the version that made it
    /// (its <c>PG_VERSION</c>): a PostgreSQL of another major version refuses its files, and would be started again and
    /// again without serving.
    /// </summary>
    private string? FindBinDirectory()
    {
        var found = InstalledBinDirectories();
        var versionFile = Path.Combine(DataDirectory, "PG_VERSION");
        if (found.Count == 0 || !File.Exists(versionFile))
        {
            return found.FirstOrDefault();
        }

        var clusterVersion = File.ReadAllText(versionFile).Trim();
        var others = new List<string>();
        string? untold = null;
        foreach (var bin in found)
        {
            var version = MajorVersionOf(bin);
            if (version == clusterVersion)
            {
                return bin;
            }

            if (version is null)
            {
                untold ??= bin;
            }
            else
            {
                others.Add(version);
            }
        }

        // A server whose version cannot be told is left to say for itself whether it takes the cluster.
        return untold ?? throw new DistributedApplicationException(
            $"The PostgreSQL cluster in {DataDirectory} was made by PostgreSQL {clusterVersion}, and this machine has the " +
            $"server of PostgreSQL {string.Join(" and ", others.Distinct())} only, which refuses its files. " +
            $"Install PostgreSQL {clusterVersion}'s server (Debian: apt-get install postgresql-{clusterVersion}), or move {DataDirectory} " +
            "away: the next start makes a new, empty cluster (pg_upgrade carries the notes over to a newer PostgreSQL).");
    }

    /// <summary>
    /// The major version of the server in a folder, as PG_VERSION writes it: <c>15</c> (from 10 on), <c>9.6</c> before;
    /// null when it cannot be told (a binary that does not run, or says something else).
    /// </summary>
    private static string? MajorVersionOf(string bin)
    {
        try
        {
            using var postgres = Process.Start(new ProcessStartInfo(Path.Combine(bin, "postgres"), "--version") { RedirectStandardOutput = true });
            if (postgres is null)
            {
                return null;
            }

            var output = postgres.StandardOutput.ReadToEndAsync();
            if (!postgres.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                postgres.Kill();
                return null;
            }

            // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "postgres (PostgreSQL) 9.6.24", "... 17beta1"
            var version = Regex.Match(output.Result, @"\(PostgreSQL\) (\d+)(?:\.(\d+))?");
            if (!version.Success)
            {
                return null;
            }

            var major = version.Groups[1].Value;
            return int.Parse(major, CultureInfo.InvariantCulture) >= 10 ? major : $"{major}.{version.Groups[2].Value}";
        }
        catch (Exception exception) when (exception is Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Makes the cluster when the data folder is new, and clears what a killed server left: run before every start.</summary>
    public async Task PrepareAsync(Action<string> log, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            log($"Creating a PostgreSQL cluster in {DataDirectory}.");
            // initdb takes seconds; one that hangs must fail the start with its output, not hold it forever.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(InitdbTimeout);
            try
            {
                await InitializeAsync(log, bounded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"initdb did not finish within {InitdbTimeout.TotalMinutes} min for {DataDirectory}; its output is above.");
            }
        }

        RemoveLockOfZombieServer();
    }

    private static DistributedApplicationException BinariesMissing() => new(
        "PostgreSQL's server binaries (initdb, postgres) are neither on PATH nor under /usr/lib/postgresql/*/bin. " +
        "Install them (Debian: apt-get install postgresql), start Docker or Podman, or give an existing server as ConnectionStrings__notesdb.");

    private async Task InitializeAsync(Action<string> log, CancellationToken cancellationToken)
    {
        // initdb fills a sibling folder, renamed into place once complete: an interrupted initdb (Ctrl+C, a kill) leaves
        // no half-made cluster for the next start to trip on.
        var staging = DataDirectory + ".initdb";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        RunAs?.TakeOwnership(staging);
        // The password goes through a file only its owner can read, gone once initdb is done: never in the process list.
        var passwordFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
            RunAs?.TakeOwnership(passwordFile);
            // The last lines say why it failed: the message carries them to the AppHost's console, not only this resource's log.
            var lastLines = new Queue<string>();
            var exitCode = await RunAsync(
                Path.Combine(BinDirectory ?? throw BinariesMissing(), "initdb"),
                ["-D", staging, "-U", UserName, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale"],
                line =>
                {
                    log(line);
                    lock (lastLines)
                    {
                        lastLines.Enqueue(line);
                        if (lastLines.Count > 3)
                        {
                            lastLines.Dequeue();
                        }
                    }
                },
                cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed with code {exitCode} for {DataDirectory}: {string.Join(" ", lastLines)}");
            }

            if (Directory.Exists(DataDirectory))
            {
                // Only an empty folder goes; one holding anything but a cluster is the user's to look at.
                Directory.Delete(DataDirectory);
            }

            Directory.Move(staging, DataDirectory);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task<int> RunAsync(string program, IReadOnlyList<string> arguments, Action<string> log, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(RunAs is null ? program : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["LC_ALL"] = "C" },
        };
        foreach (var argument in RunAs is null ? arguments : [.. RunAs.SetprivArguments, program, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) log(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) log(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }

    /// <summary>
    /// A server killed along with its parent lingers as a zombie where nothing reaps orphans (PID 1 of some containers and
    /// sandboxes). PostgreSQL takes the zombie's pid, still in postmaster.pid, for a live server and refuses to start.
    /// A zombie runs nothing and its server processes are gone, so its lock no longer guards anything.
    /// </summary>
    private void RemoveLockOfZombieServer()
    {
        var lockFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (File.Exists(lockFile) && int.TryParse(File.ReadLines(lockFile).FirstOrDefault(), out var pid) && IsZombie(pid))
        {
            File.Delete(lockFile);
        }
    }

    private static bool IsZombie(int processId)
    {
        try
        {
            var status = $"/proc/{processId}/status";
            return File.Exists(status) && File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("(zombie)"));
        }
        catch (IOException)
        {
            // Reaped while we looked: gone, and PostgreSQL sees that itself.
            return false;
        }
    }

    /// <summary>
    /// Makes the folder and those missing above it. Under root, the ones made here are opened to the user PostgreSQL runs
    /// as (o+x, not o+r): mkdir applies root's umask, and a hardened one (027, 077) would close the state folder to the
    /// server it is for.
    /// </summary>
    private void CreateFolder(string folder)
    {
        var missing = Ancestors(folder).Where(directory => !Directory.Exists(directory)).ToList();
        Directory.CreateDirectory(folder);
        if (RunAs is not null && !OperatingSystem.IsWindows())
        {
            foreach (var made in missing)
            {
                File.SetUnixFileMode(made, File.GetUnixFileMode(made) | UnixFileMode.OtherExecute);
            }
        }
    }

    /// <summary>The folders from the root down to <paramref name="folder"/>.</summary>
    private static IEnumerable<string> Ancestors(string folder)
    {
        var ancestors = new List<string>();
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            ancestors.Add(directory.FullName);
        }

        ancestors.Reverse();
        return ancestors;
    }

    private static string ReadOrCreatePassword(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.Write(password);
        }

        return password;
    }
}
