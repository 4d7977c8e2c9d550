using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace NotesAspire.Notes.Data;

/// <summary>
/// A database that cannot do what the request needs is the server's trouble, not the caller's: a 5xx that says which
/// trouble, rather than a bare 500.
/// </summary>
public sealed class DatabaseErrorHandler(IProblemDetailsService problemDetails, ILogger<DatabaseErrorHandler> logger) : IExceptionHandler
{
    /// <summary>PostgreSQL's sequence_generator_limit_exceeded, which Npgsql's PostgresErrorCodes lacks.</summary>
    private const string SequenceGeneratorLimitExceeded = "2200H";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        (int Status, string Title, string Detail)? problem = exception switch
        {
            // Not "try again": a POST that is sent again may create its note twice.
            ChangeUnconfirmedException => (StatusCodes.Status503ServiceUnavailable,
                "The notes database did not confirm the change.",
                "It stopped answering after the change was sent, so the change may or may not have been made: look (GET /notes) before trying again."),
            NpgsqlException { IsTransient: true } => (StatusCodes.Status503ServiceUnavailable,
                "The notes database is unavailable.",
                "The service cannot reach its database right now; try again shortly."),
            // Created at start; gone if someone dropped it, or the database was made anew under a running service.
            PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } => (StatusCodes.Status503ServiceUnavailable,
                "The notes table is missing.",
                "The database has no notes table; restarting the notes service creates it."),
            // Notes inserted with ids of their own, or a dump restored without its sequence: the next id is taken. (A
            // unique rule someone added is another constraint, and one of the errors below.)
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: NotesSchema.PrimaryKey } => (StatusCodes.Status503ServiceUnavailable,
                "The notes table's id sequence is behind its rows.",
                "The database gave this note the id of a note it already has, so nothing is written. Set the sequence past the rows: " +
                "SELECT setval(pg_get_serial_sequence('notes', 'id'), (SELECT max(id) FROM notes));"),
            PostgresException { SqlState: SequenceGeneratorLimitExceeded } => (StatusCodes.Status507InsufficientStorage,
                "No note ids are left.",
                $"Notes are numbered from 1 to {int.MaxValue}, as in the tutorial's table, and every id has been used."),
            // Any other error PostgreSQL answers with (a constraint or trigger someone added, a statement_timeout, a
            // password changed since the pool connected): the statement, a transaction of its own, was not carried out.
            // Its message may name users and objects, so it goes to the log; the caller gets its SQLSTATE.
            PostgresException other => (StatusCodes.Status503ServiceUnavailable,
                "The notes database refused the request.",
                $"PostgreSQL answered with error {other.SqlState}, so nothing was changed; the notes service's log has its message."),
            _ => null,
        };
        if (problem is not { } answer)
        {
            return false;
        }

        logger.LogError(exception, "{Title}", answer.Title);
        context.Response.StatusCode = answer.Status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Title = answer.Title, Detail = answer.Detail, Status = answer.Status },
        });
    }
}
