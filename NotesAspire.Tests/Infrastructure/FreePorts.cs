using System.Net;
using System.Net.Sockets;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// Loopback TCP ports nothing listens on, for the processes and stand-ins the tests start. The service is told its port
/// and binds it later, so the port must stay free in between. A port the kernel picks (bind to port 0) comes from its
/// ephemeral range, which it also hands out as the local end of every outgoing connection and to every other test that
/// asks for port 0: released, it could be taken before the service binds it. So ports come from below that range
/// (32768-60999 on Linux, 49152 and up on Windows and macOS), where the kernel hands out nothing: each once per process,
/// from a counter, and checked free by binding it. Processes started at once (the tests and the bench) start the
/// counter at different places.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Last = 32_000;

    private static int s_next = First + Environment.ProcessId * 97 % (Last - First);

    /// <summary>The kernel's ephemeral range overlaps ours (a machine configured so): let the kernel choose, as before.</summary>
    private static readonly bool KernelChooses = EphemeralRangeOverlapsOurs();

    public static int One() => Take(1)[0];

    /// <summary>Ports free now and distinct from each other, and from any this process was given before.</summary>
    public static int[] Take(int count) => KernelChooses ? KernelsChoice(count) : [.. Enumerable.Range(0, count).Select(_ => Next())];

    private static int Next()
    {
        for (var tried = 0; tried < Last - First; tried++)
        {
            var port = First + (Interlocked.Increment(ref s_next) - First) % (Last - First);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
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

    private static bool EphemeralRangeOverlapsOurs()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (!File.Exists(range))
        {
            return false;
        }

        var bounds = File.ReadAllText(range).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        return bounds[0] < Last && bounds[1] >= First;
    }
}
