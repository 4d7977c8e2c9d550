using Microsoft.AspNetCore.Http;

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
        // Routing's own answers only: an endpoint's bare 404 or 405 is the endpoint's to explain.
        context.ProblemDetails.Detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound when context.HttpContext.GetEndpoint() is null =>
                $"Nothing answers {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed when response.Headers.Allow.Count > 0 =>
                $"{request.Path} does not take {request.Method}; it takes {response.Headers.Allow}.",
            _ => null,
        };
    }
}
