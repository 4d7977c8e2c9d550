namespace NotesAspire.AppHost.Hosting;

/// <summary>
/// Where the AppHost keeps what must survive a restart (PostgreSQL's data, its generated password): outside the
/// repository, one per user, movable with --state-dir so tests and users can run isolated instances.
/// </summary>
public static class StateFolder
{
    /// <summary>
    /// <c>$XDG_DATA_HOME/notesaspire</c>, else <c>~/.local/share/notesaspire</c>. Root gets <c>/var/lib/notesaspire</c>
    /// instead: PostgreSQL then runs as an unprivileged user, who cannot pass through root's home (mode 700).
    /// </summary>
    public static string DefaultPath()
    {
        if (Environment.IsPrivilegedProcess)
        {
            return "/var/lib/notesaspire";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(
            string.IsNullOrWhiteSpace(dataHome) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : dataHome,
            "notesaspire");
    }

    /// <summary>
    /// Creates the folder readable only by the user. Root also lets others pass through it (not list it), since the
    /// PostgreSQL server, run as another user, keeps its data below; every folder above must let that user pass too.
    /// </summary>
    public static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // A user's folders are private there already; no other user runs PostgreSQL for us.
            Directory.CreateDirectory(path);
            return;
        }

        const UnixFileMode passThrough = UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (Environment.IsPrivilegedProcess)
        {
            // Added to what the folder allows, never taking away: an existing folder may be the user's own.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | passThrough);
        }

        if (Environment.IsPrivilegedProcess)
        {
            for (var above = Path.GetDirectoryName(Path.GetFullPath(path)); above is not null; above = Path.GetDirectoryName(above))
            {
                if (!File.GetUnixFileMode(above).HasFlag(UnixFileMode.OtherExecute))
                {
                    throw new InvalidOperationException(
                        $"The state folder {path} is under {above}, which other users cannot pass through, so the unprivileged " +
                        "PostgreSQL server could not reach its data. Choose another with --state-dir (e.g. under /var/lib or /tmp).");
                }
            }
        }
    }
}
