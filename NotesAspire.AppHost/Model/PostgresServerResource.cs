namespace NotesAspire.AppHost.Model;

/// <summary>A PostgreSQL server; how it runs (existing server, container, local binaries) is decided when the AppHost starts.</summary>
public sealed class PostgresServerResource(string name) : Resource(name)
{
    public const string Image = "postgres:17";
    public const string UserName = "postgres";
    public const int ContainerPort = 5432;

    /// <summary>The port on this machine; null lets the AppHost choose.</summary>
    public int? Port { get; set; }

    public List<PostgresDatabaseResource> Databases { get; } = [];
}

/// <summary>A database on a <see cref="PostgresServerResource"/>; its name is the connection string's name.</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource server) : Resource(name)
{
    public PostgresServerResource Server { get; } = server;

    public string DatabaseName => Name;
}
