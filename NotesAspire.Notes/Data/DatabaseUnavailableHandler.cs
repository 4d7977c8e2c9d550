using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace NotesAspire.Notes.Data;

/// <summary>A database that cannot be reached is the server's trouble, not the caller's: 503 with a message saying so.</summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not NpgsqlException { IsTransient: true })
        {
            return false;
        }

        logger.LogError(exception, "The notes database is unavailable.");
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Title = "The notes database is unavailable.",
                Detail = "The service cannot reach its database right now; try again shortly.",
                Status = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }
}
