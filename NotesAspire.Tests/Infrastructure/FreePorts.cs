using System.Net;
using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// Loopback TCP ports nothing listens on, for the processes and stand-ins the tests start. The service is told its port
/// and binds it later, so the port must stay free in between. A port the kernel picks (bind to port 0) comes from its
/// ephemeral range (32768-60999 on Linux), which it also hands out as the local end of every outgoing connection and to
/// every other bind to port 0: released, it could be taken before the service binds it. Aspire picks the ports of its
/// unproxied endpoints the same way from 10000-32767. So on Linux ports come from above the ephemeral range, where
/// nothing hands ports out: each once per process, from a counter that starts at a random place (two processes at once,
/// the tests and the bench, rarely meet), and checked free by binding it. Elsewhere, or when that range is too small on
/// this machine, the kernel chooses, as before.
/// </summary>
public static class FreePorts
{
    private const int Last = 65535;

    /// <summary>The first port of ours, or null when the kernel chooses.</summary>
    private static readonly int? First = AboveEphemeralRange();

    private static int s_next = First is { } first ? first + Random.Shared.Next(Last - first + 1) : 0;

    public static int One() => Take(1)[0];

    /// <summary>Ports free now and distinct from each other, and from any this process was given before.</summary>
    public static int[] Take(int count) => First is { } first
        ? [.. Enumerable.Range(0, count).Select(_ => Next(first))]
        : KernelsChoice(count);

    private static int Next(int first)
    {
        var size = Last - first + 1;
        for (var tried = 0; tried < size; tried++)
        {
            var port = first + (Interlocked.Increment(ref s_next) - first) % size;
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {first} and {Last}.");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Each held until all are chosen, so none comes twice.</summary>
    private static int[] KernelsChoice(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    /// <summary>A thousand ports or more above Linux's ephemeral range, else null.</summary>
    private static int? AboveEphemeralRange()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (!File.Exists(range))
        {
            return null;
        }

        var bounds = File.ReadAllText(range).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return bounds is [_, var high] && int.TryParse(high, out var last) && Last - last >= 1000 ? last + 1 : null;
    }
}
