namespace NotesAspire.AppHost.Postgres;

/// <summary>One way to have a PostgreSQL server while the application runs: an existing one, a container, local binaries.</summary>
public interface IPostgresHost : IAsyncDisposable
{
    /// <summary>Printed at start, so the user knows which choice was made and where the data lives.</summary>
    string Description { get; }

    /// <summary>The port this host opens on the machine, checked before anything starts; null when the server is not ours.</summary>
    int? LocalPort { get; }

    PostgresEndpoint Endpoint { get; }

    /// <summary>The server's process, when it is a child of the AppHost.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the server stops on its own; never, for a server the AppHost does not run.</summary>
    Task Exited { get; }

    /// <summary>Returns once the server accepts connections.</summary>
    Task StartAsync(Action<string> output, CancellationToken cancellationToken);
}
