using System.Diagnostics;

namespace NotesAspire.Notes;

/// <summary>
/// Custom spans around the business steps, as the tutorial adds them to its Python app. The source is named after the
/// application, which ServiceDefaults subscribes to.
/// </summary>
public static class NotesTelemetry
{
    public static readonly ActivitySource Source = new(typeof(NotesTelemetry).Assembly.GetName().Name!);

    public static Activity? StartStep(string name, int? noteId = null)
    {
        var activity = Source.StartActivity(name);
        if (noteId is not null)
        {
            activity?.SetTag("note.id", noteId);
        }

        return activity;
    }
}
