using Microsoft.AspNetCore.Http.HttpResults;
using NotesAspire.Notes.Calendar;
using NotesAspire.Notes.Data;

namespace NotesAspire.Notes.Api;

/// <summary>
/// The tutorial's notes API, with its query form (<c>/notes?id=4</c>) and the path form of its Go and Java versions
/// (<c>/notes/4</c>). Bodies are the tutorial's text; errors are problem details with a 4xx, or a 5xx that says what
/// the service lacks (a calendar or database that is unavailable, note ids used up): docs/api.md lists them.
/// </summary>
public static class NotesApi
{
    public static IEndpointRouteBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        app.MapGetAndHead("/", Welcome);

        // Mapped whole, not through MapGroup("/notes"): a group's own route reaches traces as http.route "/notes/",
        // and Datadog would name the resource "POST /notes/" instead of the tutorial's "POST /notes".
        app.MapGetAndHead("/notes", GetNotes);
        app.MapPost("/notes", CreateNote);
        app.MapPut("/notes", UpdateNote);
        app.MapDelete("/notes", DeleteNote);
        app.MapGetAndHead("/notes/{id}", GetNotes);
        app.MapPut("/notes/{id}", UpdateNote);
        app.MapDelete("/notes/{id}", DeleteNote);

        return app;
    }

    public static ContentHttpResult Welcome() => TypedResults.Text("Welcome to our notes app!");

    /// <summary>Without an id, every note; with one (<c>?id=4</c> or <c>/notes/4</c>), that note.</summary>
    public static async Task<Results<NotesJson, ContentHttpResult, ProblemHttpResult, ValidationProblem>> GetNotes(
        HttpRequest request, NoteStore store, CancellationToken cancellationToken)
    {
        if (!NoteParameters.HasId(request))
        {
            return new NotesJson(store.ListAsync(cancellationToken));
        }

        var errors = NoteParameters.Errors();
        var id = NoteParameters.Id(request, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var note = await store.FindAsync(id!.Value, cancellationToken);
        return note is null ? NotFound(id.Value) : TypedResults.Text(note.ToString());
    }

    public static async Task<Results<CreatedNote, ProblemHttpResult, ValidationProblem>> CreateNote(
        HttpRequest request, NoteStore store, CalendarClient calendar, CancellationToken cancellationToken)
    {
        var errors = NoteParameters.Errors();
        var addDate = NoteParameters.AddDate(request.Query["add_date"], errors);
        var description = NoteParameters.Description(request.Query["desc"], errors, reserved: addDate ? NoteParameters.DateSuffixLength : 0);
        NoteParameters.Require("desc", description, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        using var step = NotesTelemetry.StartStep("CreateNote");
        try
        {
            if (addDate)
            {
                using var dateStep = NotesTelemetry.StartStep("AddDate");
                try
                {
                    description = $"{description} with date {await calendar.GetDateAsync(cancellationToken)}";
                }
                catch (CalendarUnavailableException exception)
                {
                    NotesTelemetry.Fail(dateStep, exception);
                    NotesTelemetry.Fail(step, exception);
                    // Nothing was written: the note is saved only once its whole description is known.
                    return TypedResults.Problem(
                        title: "The calendar service is unavailable.",
                        detail: $"{exception.Message} No note was created; try again, or create it without add_date.",
                        statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            }

            var note = await store.CreateAsync(description!, cancellationToken);
            step?.SetTag("note.id", note.Id);
            return new CreatedNote(note);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database's failure: the exception handler answers 503, and the step shows where it happened.
            NotesTelemetry.Fail(step, exception);
            throw;
        }
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> UpdateNote(
        HttpRequest request, NoteStore store, CancellationToken cancellationToken)
    {
        var errors = NoteParameters.Errors();
        var id = NoteParameters.Id(request, errors);
        var description = NoteParameters.Description(request.Query["desc"], errors);
        NoteParameters.Require("id", id, errors);
        NoteParameters.Require("desc", description, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var note = await store.UpdateAsync(id!.Value, description!, cancellationToken);
        return note is null ? NotFound(id.Value) : TypedResults.Text(note.ToString());
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> DeleteNote(
        HttpRequest request, NoteStore store, CancellationToken cancellationToken)
    {
        var errors = NoteParameters.Errors();
        var id = NoteParameters.Id(request, errors);
        NoteParameters.Require("id", id, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.DeleteAsync(id!.Value, cancellationToken) ? TypedResults.Text("Deleted") : NotFound(id.Value);
    }

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(title: "Note not found.", detail: $"Note {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
}
