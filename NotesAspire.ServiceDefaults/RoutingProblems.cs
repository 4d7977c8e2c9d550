using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Problem details for the answers routing gives itself, an unknown path (404) or a method the path does not take
/// (405), saying what was asked for and, for a method, which ones the path takes.
/// </summary>
public static class RoutingProblems
{
    /// <summary>
    /// Status code pages that write problem details whatever the request's Accept says: the problem details service
    /// alone writes them only to a client that accepts JSON, and leaves any other a bare "Status Code: 404".
    /// </summary>
    public static IApplicationBuilder UseRoutingProblems(this IApplicationBuilder app) => app.UseStatusCodePages(WriteAsync);

    private static Task WriteAsync(StatusCodeContext context)
    {
        var (request, response) = (context.HttpContext.Request, context.HttpContext.Response);
        // Routing's own answers only: an endpoint's bare 404 or 405 is the endpoint's to explain.
        var detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound when context.HttpContext.GetEndpoint() is null =>
                $"Nothing answers {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed when response.Headers.Allow.Count > 0 =>
                $"{request.Path} does not take {request.Method}; it takes {response.Headers.Allow}.",
            _ => null,
        };
        return TypedResults.Problem(detail, statusCode: response.StatusCode).ExecuteAsync(context.HttpContext);
    }
}
