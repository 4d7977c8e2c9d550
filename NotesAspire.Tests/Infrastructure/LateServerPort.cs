using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A loopback port where a server comes up later: it refuses connections (bound, not listening, as <see cref="ClosedPort"/>)
/// until <see cref="ForwardTo"/>, then passes each connection on to a real server. For a server that is not there yet,
/// without stopping the one the other tests share.
/// </summary>
public sealed class LateServerPort : LoopbackServerPort
{
    private (string Host, int Port) _server;

    /// <summary>From now on, the port answers: each connection goes on to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public void ForwardTo(string host, int port)
    {
        _server = (host, port);
        Listen();
    }

    protected override async Task Serve(Socket client, CancellationToken stopping)
    {
        using var server = new TcpClient();
        await using var fromClient = new NetworkStream(client, ownsSocket: true);
        try
        {
            await server.ConnectAsync(_server.Host, _server.Port, stopping);
            var toServer = server.GetStream();
            // Either side closing ends the pair, as a direct connection would end.
            await Task.WhenAny(fromClient.CopyToAsync(toServer, stopping), toServer.CopyToAsync(fromClient, stopping));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
        }
    }
}
