using System.Net;
using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>Loopback TCP ports nothing listens on, for the processes and stand-ins the tests start.</summary>
public static class FreePorts
{
    public static int One() => Take(1)[0];

    /// <summary>Ports free now and distinct from each other: each is held until all are chosen, so none comes twice.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
