using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using NotesAspire.AppHost.Hosting;

namespace NotesAspire.AppHost.Postgres;

/// <summary>
/// What the AppHost keeps about its PostgreSQL server between runs, under <c>&lt;state folder&gt;/postgres</c>:
/// the generated password (readable only by the user), the port, and a local server's data folder.
/// </summary>
public sealed class PostgresState
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder;

    public PostgresState(string stateDirectory)
    {
        _folder = Path.Combine(stateDirectory, "postgres");
        StateFolder.CreatePrivate(_folder);
        Password = ReadOrCreate("password", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
    }

    public string Password { get; }

    public string PasswordFile => Path.Combine(_folder, "password");

    public string DataDirectory => Path.Combine(_folder, "data");

    /// <summary>
    /// The port asked for, else the one kept from an earlier run, else a free one chosen now and kept: a fixed default
    /// (5432, 5433) could collide with a server of the machine, and a kept one keeps connection strings stable.
    /// </summary>
    public int Port(int? requested)
    {
        if (requested is { } port)
        {
            return port;
        }

        var text = ReadOrCreate("port", () => FreeTcpPort().ToString());
        return int.TryParse(text, out var kept) && kept is > 0 and < 65536
            ? kept
            : throw new InvalidOperationException(
                $"The state folder's postgres/port file holds '{text}', not a port. Delete it to have a free port chosen, or give --postgres-port.");
    }

    private string ReadOrCreate(string name, Func<string> create)
    {
        var path = Path.Combine(_folder, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var value = create();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.Write(value);
        }

        return value;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
