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
}
