using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A loopback port that takes each connection and closes it at once, counting them: a server that cannot be reached as
/// Npgsql sees it (a transient failure, as a refused connection), where the test sees every attempt to reach it.
/// </summary>
public sealed class HangUpPort : LoopbackServerPort
{
    private int _connections;

    public HangUpPort() => Listen();

    /// <summary>How many connections came so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected override Task Serve(Socket client, CancellationToken stopping)
    {
        Interlocked.Increment(ref _connections);
        client.Dispose();
        return Task.CompletedTask;
    }
}
