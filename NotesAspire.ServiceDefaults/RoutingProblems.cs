using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace NotesAspire.ServiceDefaults;

/// <summary>
/// The problem details routing's own answers get (status code pages write them with a title only): what was asked for
/// and, for a method, which ones the path takes.
/// </summary>
internal static class RoutingProblems
{
    public static void Explain(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null)
        {
            return;
        }

        var (request, response) = (context.HttpContext.Request, context.HttpContext.Response);
        // The asterisk form (OPTIONS *, about the server as a whole) has an empty path: name the target as sent.
        var target = request.Path.HasValue ? request.Path.ToString() : context.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        // Routing's own answers only: an endpoint's bare 404 or 405 is the endpoint's to explain.
        context.ProblemDetails.Detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound when context.HttpContext.GetEndpoint() is null =>
                $"Nothing answers {request.Method} {target}.",
            StatusCodes.Status405MethodNotAllowed when response.Headers.Allow.Count > 0 =>
                $"{target} does not take {request.Method}; it takes {response.Headers.Allow}.",
            _ => null,
        };
    }
}
