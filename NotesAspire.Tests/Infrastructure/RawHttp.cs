using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A request written over a socket as it is given: what HttpClient never writes (a broken chunk, a body shorter than it
/// declares, the asterisk form of OPTIONS).
/// </summary>
public static class RawHttp
{
    /// <returns>What <paramref name="read"/> takes of the answer: its status line, or all of it.</returns>
    /// <remarks>A server that never answers fails the test, after <see cref="Eventually.Timeout"/>, instead of hanging the run.</remarks>
    public static async Task<T> SendAsync<T>(int port, string request, Func<StreamReader, Task<T>> read)
    {
        using var socket = new TcpClient();
        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        await using var closesTheSocket = timeout.Token.Register(socket.Dispose);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var answer = new StreamReader(stream, Encoding.UTF8);
        return await read(answer);
    }
}
