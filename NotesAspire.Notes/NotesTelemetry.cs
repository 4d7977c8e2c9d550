using System.Diagnostics;

namespace NotesAspire.Notes;

/// <summary>
/// Custom spans around the business steps of creating a note (the date from the calendar, then the insert), as the
/// tutorial adds them to its Python app. Reads, updates and deletes are one statement each: their server and database
/// spans already say everything, and an extra span per request would only cost throughput. The source is named after
/// the application, which ServiceDefaults subscribes to.
/// </summary>
public static class NotesTelemetry
{
    public static readonly ActivitySource Source = new(typeof(NotesTelemetry).Assembly.GetName().Name!);

    public static Activity? StartStep(string name) => Source.StartActivity(name);

    /// <summary>
    /// Marks the step as failed, with the exception as OpenTelemetry records one: Datadog shows the span as an error with
    /// its error.msg, error.type and error.stack.
    /// </summary>
    public static void Fail(Activity? step, Exception exception)
    {
        step?.SetStatus(ActivityStatusCode.Error, exception.Message);
        step?.AddException(exception);
    }
}
