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
        context.ProblemDetails.Detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"Nothing answers {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}; it takes {response.Headers.Allow}.",
            _ => null,
        };
    }
}
