using System.Net;
using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A loopback port where a server comes up later: it refuses connections (bound, not listening, as <see cref="ClosedPort"/>)
/// until <see cref="ForwardTo"/>, then passes each connection on to a real server. For a server that is not there yet,
/// without stopping the one the other tests share.
/// </summary>
public sealed class LateServerPort : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public LateServerPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>From now on, the port answers: each connection goes on to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public void ForwardTo(string host, int port)
    {
        _socket.Listen();
        _accepting = AcceptAsync(host, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync(string host, int port)
    {
        try
        {
            while (true)
            {
                var client = await _socket.AcceptAsync(_stop.Token);
                _ = ForwardAsync(client, host, port);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ForwardAsync(Socket client, string host, int port)
    {
        using var server = new TcpClient();
        await using var fromClient = new NetworkStream(client, ownsSocket: true);
        try
        {
            await server.ConnectAsync(host, port, _stop.Token);
            var toServer = server.GetStream();
            // Either side closing ends the pair, as a direct connection would end.
            await Task.WhenAny(fromClient.CopyToAsync(toServer, _stop.Token), toServer.CopyToAsync(fromClient, _stop.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
        }
    }
}
