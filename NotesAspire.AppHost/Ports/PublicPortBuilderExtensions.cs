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
    public static IResourceBuilder<ProjectResource> WithPublicHttpPort(this IResourceBuilder<ProjectResource> builder, int port)
    {
        var configured = builder.ApplicationBuilder.Configuration.GetValue($"Ports:{builder.Resource.Name}", port);
        return builder.WithHttpEndpoint(port: configured, isProxied: false);
    }
}
