using System.Net;
using System.Net.Sockets;

namespace NotesAspire.AppHost.Running;

public static class PortCheck
{
    /// <summary>Whether something listens on the port on either loopback address (the services listen on "localhost": both).</summary>
    public static bool IsInUse(int port)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Start();
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return true;
            }
            catch (SocketException)
            {
                // No IPv6 on this machine: nothing can listen there either.
            }
        }

        return false;
    }
}
