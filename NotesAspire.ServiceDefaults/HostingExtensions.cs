using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// Listens on <c>http://localhost:{port}</c> unless the environment chose the addresses
    /// (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls or a Kestrel endpoint), as the AppHost, Compose and Kubernetes do.
    /// Putting the port in appsettings.json instead would override ASPNETCORE_URLS, since appsettings load after it.
    /// </summary>
    public static WebApplicationBuilder ListenByDefaultOn(this WebApplicationBuilder builder, int port)
    {
        var configuration = builder.Configuration;
        var chosen = !string.IsNullOrWhiteSpace(configuration["urls"])
            || !string.IsNullOrWhiteSpace(configuration["http_ports"])
            || !string.IsNullOrWhiteSpace(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!chosen)
        {
            builder.WebHost.UseUrls($"http://localhost:{port}");
        }

        return builder;
    }
}
