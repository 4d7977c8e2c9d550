using System.Text.RegularExpressions;
using NotesAspire.Dashboard.Telemetry;
using NotesAspire.Tests.Dashboard;

namespace NotesAspire.Tests.Telemetry;

/// <summary>The tutorial's traced request through a running application, and its trace read back from a dashboard.</summary>
public static partial class NoteTraces
{
    /// <summary><c>POST /notes?desc=x&amp;add_date=y</c>; returns the new note's id, which tells its trace from the others.</summary>
    public static async Task<string> PostNoteWithDateAsync(Uri notesUrl)
    {
        using var http = new HttpClient { BaseAddress = notesUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/notes?desc=x&add_date=y", null);
        return CreatedId().Match(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).Groups["id"].Value;
    }

    /// <summary>Waits for the whole trace of the note's creation: the root, its queries, the calendar it called.</summary>
    public static Task<TraceDetail> WaitForNoteTraceAsync(this DashboardApiClient dashboard, string noteId) =>
        dashboard.WaitForTraceAsync(spans =>
            spans.Any(span => span.ParentSpanId is null)
            && spans.Any(span => span.Attributes.TryGetValue("note.id", out var id) && id == noteId)
            && spans.Any(span => span.Service == "calendar")
            && spans.Any(span => span.Datadog.OperationName == "postgresql.query"));

    [GeneratedRegex(@"^\((?<id>\d+), ")]
    private static partial Regex CreatedId();
}
