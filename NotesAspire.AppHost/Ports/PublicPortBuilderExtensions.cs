using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using NotesAspire.AppHost.Hosting;

namespace Aspire.Hosting;

public static class PublicPortBuilderExtensions
{
    /// <summary>
    /// How long a run waits for a taken port before it stops: a previous run's service can hold it for a few seconds
    /// after its AppHost ended (<c>aspire run</c> replaces a running instance without waiting for its services).
    /// </summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The service's HTTP endpoint on a port users call (the tutorial's), bound by the service itself. Aspire's default puts
    /// DCP's proxy in front of it, another process every request and response passes through: on a two-core machine it cost
    /// a third of the reads' throughput (bench/README.md). Without it, a restarting service refuses connections for a
    /// moment instead of the proxy holding them. <c>Ports__{name}</c> (configuration <c>Ports:{name}</c>) moves it in a
    /// run, for a port already in use, or a second instance (the tests).
    /// </summary>
    /// <remarks>
    /// A run stops before starting anything when the port stays taken: the service would otherwise fail to bind and be
    /// restarted again and again, with the reason only in its own console, while curl reached whatever holds the port.
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithPublicHttpPort(this IResourceBuilder<ProjectResource> builder, int port)
    {
        var name = builder.Resource.Name;
        // A deployment keeps the tutorial's ports: Ports__{name} moves a local run, and must not change deploy/.
        var configured = builder.ApplicationBuilder.ExecutionContext.IsRunMode ? Settings.Port(builder.ApplicationBuilder.Configuration, $"Ports:{name}", port) : port;
        if (builder.ApplicationBuilder.Resources.FirstOrDefault(other => other != builder.Resource && PublicPortOf(other) == configured) is { } other)
        {
            throw new DistributedApplicationException(
                $"{other.Name} and {name} would both listen on port {configured}. Move one with Ports__{other.Name} or Ports__{name}.");
        }

        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            // Once the model is complete: a test may run the AppHost without this service.
            builder.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
                @event.Model.Resources.Contains(builder.Resource)
                    ? WaitUntilFreeAsync(name, configured, @event.Services, cancellationToken)
                    : Task.CompletedTask);
        }

        return builder.WithHttpEndpoint(port: configured, isProxied: false);
    }

    /// <summary>A project's port bound without DCP's proxy: what this method gives, and Ports__{name} moves.</summary>
    private static int? PublicPortOf(IResource resource) =>
        resource is ProjectResource && resource.TryGetAnnotationsOfType<EndpointAnnotation>(out var endpoints)
            ? endpoints.FirstOrDefault(endpoint => !endpoint.IsProxied && endpoint.Port is not null)?.Port
            : null;

    private static async Task WaitUntilFreeAsync(string name, int port, IServiceProvider services, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var said = false;
        while (Refusal(port) is { } refusal)
        {
            if (refusal == SocketError.AccessDenied)
            {
                throw new DistributedApplicationException(
                    $"Port {port}, where {name} listens, needs privileges this user lacks. Move {name} with Ports__{name}=<a port from 1024 up>.");
            }

            if (waited.Elapsed >= Grace)
            {
                throw new DistributedApplicationException(
                    $"Port {port}, where {name} listens, is in use by another program (another AppHost?). Stop it, or move {name} with Ports__{name}=<a free port>.");
            }

            if (!said)
            {
                said = true;
                AppModelBuilderExtensions.AppHostLogger(services).LogWarning(
                    "Port {Port}, where {Resource} listens, is in use; waiting up to {Seconds} s for it to be free.", port, name, Grace.TotalSeconds);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>Why the port cannot be bound on the loopback addresses the service binds ("localhost"), or null.</summary>
    private static SocketError? Refusal(int port)
    {
        IPAddress[] loopbacks = Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
        foreach (var address in loopbacks)
        {
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return exception.SocketErrorCode;
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // A machine without an IPv6 loopback: the service binds IPv4 alone there.
            }
            finally
            {
                listener.Stop();
            }
        }

        return null;
    }
}
