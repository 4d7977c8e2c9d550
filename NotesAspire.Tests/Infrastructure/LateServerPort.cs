using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A loopback port where a server comes up later: it refuses connections (bound, not listening, as <see cref="ClosedPort"/>)
/// until <see cref="ForwardTo"/>, then passes each connection on to a real server. For a server that is not there yet,
/// one that goes silent (<see cref="DropAnswers"/>), or one that drops its connections (<see cref="CutConnections"/>),
/// without stopping or crashing the one the other tests share.
/// </summary>
public sealed class LateServerPort : LoopbackServerPort
{
    private (string Host, int Port) _server;
    private volatile bool _droppingAnswers;
    private CancellationTokenSource _connections = new();

    /// <summary>From now on, what clients send still reaches the server, and its answers go nowhere: a server that hangs.</summary>
    public void DropAnswers() => _droppingAnswers = true;

    /// <summary>
    /// Closes every connection passed on so far, without a word to either side, as a crashed or killed server's connections
    /// end; the server itself stays up, and connections made after this are passed on as before.
    /// </summary>
    public void CutConnections()
    {
        // Not disposed: a connection being passed on may still be reading its token.
        Interlocked.Exchange(ref _connections, new CancellationTokenSource()).Cancel();
    }

    /// <summary>From now on, the port answers: each connection goes on to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public void ForwardTo(string host, int port)
    {
        _server = (host, port);
        Listen();
    }

    protected override async Task Serve(Socket client, CancellationToken stopping)
    {
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(stopping, _connections.Token);
        stopping = cut.Token;
        using var server = new TcpClient();
        await using var fromClient = new NetworkStream(client, ownsSocket: true);
        try
        {
            await server.ConnectAsync(_server.Host, _server.Port, stopping);
            var toServer = server.GetStream();
            // Either side closing ends the pair, as a direct connection would end.
            await Task.WhenAny(fromClient.CopyToAsync(toServer, stopping), AnswerAsync(toServer, fromClient, stopping));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    private async Task AnswerAsync(Stream fromServer, Stream toClient, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await fromServer.ReadAsync(buffer, stopping)) > 0)
        {
            if (!_droppingAnswers)
            {
                await toClient.WriteAsync(buffer.AsMemory(0, read), stopping);
            }
        }
    }
}
