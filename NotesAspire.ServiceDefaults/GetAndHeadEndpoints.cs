using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Endpoints that answer HEAD as they answer GET, with the same status and headers and no body: HTTP asks it of every
/// GET resource, and the tutorial's Flask app does it (Flask adds HEAD to every GET route). ASP.NET Core's MapGet does not.
/// </summary>
public static class GetAndHeadEndpoints
{
    internal static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static RouteHandlerBuilder MapGetAndHead(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler) =>
        endpoints.MapMethods(pattern, Methods, handler);
}
