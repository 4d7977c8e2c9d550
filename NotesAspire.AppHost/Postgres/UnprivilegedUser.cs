using System.Diagnostics;
using Aspire.Hosting;

namespace NotesAspire.AppHost.Postgres;

/// <summary>The system account a root caller runs PostgreSQL as, since PostgreSQL refuses to run as root.</summary>
internal sealed record UnprivilegedUser(string Name, string Group)
{
    private static readonly string[] Candidates = ["postgres", "nobody"];

    /// <summary><c>setpriv</c> switches user and group, then execs the program: the pid we hold is the server's own.</summary>
    public IReadOnlyList<string> SetprivArguments => ["--reuid", Name, "--regid", Group, "--init-groups", "--"];

    public static UnprivilegedUser Find()
    {
        var accounts = File.ReadLines("/etc/passwd")
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length > 3)
            .ToDictionary(fields => fields[0], fields => fields[3]);
        var groups = File.ReadLines("/etc/group")
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length > 2)
            .GroupBy(fields => fields[2])
            .ToDictionary(group => group.Key, group => group.First()[0]);

        foreach (var name in Candidates)
        {
            if (accounts.TryGetValue(name, out var gid) && groups.TryGetValue(gid, out var group))
            {
                return new UnprivilegedUser(name, group);
            }
        }

        throw new DistributedApplicationException(
            "PostgreSQL refuses to run as root, and this machine has neither a 'postgres' nor a 'nobody' account to run it as. " +
            "Run as a normal user, or create one: useradd --system postgres.");
    }

    /// <summary>
    /// Whether this user can enter the folder: asked of the system, which knows owners, groups, ACLs and links. The
    /// shell's own complaint is not the AppHost's to print: the caller says what to do about it.
    /// </summary>
    public bool CanEnter(string directory)
    {
        using var cd = Process.Start("setpriv", [.. SetprivArguments, "/bin/sh", "-c", "cd \"$1\" 2>/dev/null", "sh", directory]);
        cd.WaitForExit();
        return cd.ExitCode == 0;
    }

    /// <summary>Gives the folder to this user; every folder above it must let the user pass (e.g. /tmp, not /root).</summary>
    public void TakeOwnership(string directory)
    {
        using var chown = Process.Start("chown", ["-R", $"{Name}:{Group}", directory]);
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown of {directory} to {Name} failed with code {chown.ExitCode}.");
        }
    }
}
