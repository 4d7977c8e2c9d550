using System.Net;
using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A loopback port of the test's own that stands in for a server: bound at once, so it refuses connections (as
/// <see cref="ClosedPort"/>) until <see cref="Listen"/>, then takes each and hands it to <see cref="Serve"/>.
/// </summary>
public abstract class LoopbackServerPort : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    protected LoopbackServerPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting;
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected void Listen()
    {
        _socket.Listen();
        _accepting = AcceptAsync();
    }

    /// <summary>What the stand-in does with a connection it took, until <paramref name="stopping"/>; it owns the socket.</summary>
    protected abstract Task Serve(Socket client, CancellationToken stopping);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _socket.AcceptAsync(_stop.Token);
                _ = Serve(client, _stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
