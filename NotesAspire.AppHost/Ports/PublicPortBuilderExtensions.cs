using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class PublicPortBuilderExtensions
{
    /// <summary>
    /// The service's HTTP endpoint on a port users call (the tutorial's), bound by the service itself. Aspire's default puts
    /// DCP's proxy in front of it, another process every request and response passes through: on a two-core machine it cost
    /// a third of the reads' throughput (bench/README.md). Without it, a restarting service refuses connections for a
    /// moment instead of the proxy holding them. <c>Ports__{name}</c> (configuration <c>Ports:{name}</c>) moves it, for a
    /// port already in use, or a second instance (the tests).
    /// </summary>
    /// <remarks>
    /// A run stops at once when the port is taken: the service would otherwise fail to bind and be restarted again and
    /// again, with the reason only in its own console, while curl reached whatever holds the port.
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithPublicHttpPort(this IResourceBuilder<ProjectResource> builder, int port)
    {
        var name = builder.Resource.Name;
        var configured = builder.ApplicationBuilder.Configuration.GetValue($"Ports:{name}", port);
        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode && IsTaken(configured))
        {
            throw new DistributedApplicationException(
                $"Port {configured}, where {name} listens, is in use by another program (another AppHost?). Stop it, or move {name} with Ports__{name}=<a free port>.");
        }

        return builder.WithHttpEndpoint(port: configured, isProxied: false);
    }

    private static bool IsTaken(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return false;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        finally
        {
            listener.Stop();
        }
    }
}
