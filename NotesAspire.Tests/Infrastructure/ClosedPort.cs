using System.Net;
using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A loopback port where nothing listens, for as long as the test holds it: bound without listening, so connecting is
/// refused, and held, so the kernel gives it to nothing else (another bind to port 0, an outgoing connection's local
/// end), as it could a port merely chosen. (A server told this very port could still bind it: .NET and Kestrel set
/// SO_REUSEADDR.)
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <param name="port">A port to hold, or 0 for any free one.</param>
    public ClosedPort(int port = 0) => _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public void Dispose() => _socket.Dispose();
}
