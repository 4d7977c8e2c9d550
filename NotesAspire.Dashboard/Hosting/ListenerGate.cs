using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NotesAspire.Dashboard.Hosting;

/// <summary>
/// Keeps each route on its own port: the pages and <c>/api</c> only on the dashboard port, OTLP only on the OTLP ports.
/// Kestrel fills in a listener's real port when it binds, so port 0 works.
/// </summary>
internal sealed class ListenerGate(IReadOnlyDictionary<Listener, ListenOptions> listeners)
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var servedOn = context.GetEndpoint()?.Metadata.GetMetadata<ServedOn>();
        if (servedOn is null || PortOf(servedOn.Listener) != context.Connection.LocalPort)
        {
            context.SetEndpoint(null);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }

    public int PortOf(Listener listener) => listeners[listener].IPEndPoint?.Port ?? -1;
}
