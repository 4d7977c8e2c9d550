using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using System.Reflection;
using NotesAspire.Notes.Data;

namespace NotesAspire.Notes.Api;

/// <summary>201 Created with a Location header and the tutorial's text body, <c>(5, Datadog)</c>.</summary>
public sealed class CreatedNote(Note note) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public Note Note { get; } = note;

    public int? StatusCode => StatusCodes.Status201Created;

    public string ContentType => "text/plain; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status201Created;
        httpContext.Response.Headers.Location = $"/notes/{Note.Id}";
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(Note.ToString());
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status201Created, typeof(string), ["text/plain"]));
}

/// <summary>
/// All notes as one JSON object, id to description, written as the store reads them (a page at a time) and sent as it
/// goes, so memory stays flat however many notes there are and however slowly the client reads. The layout is the
/// tutorial's (its Flask app in debug mode): two-space indent, <c>{}</c> when empty, a final newline.
/// </summary>
public sealed class NotesJson(IAsyncEnumerable<Note> notes) : IResult, IContentTypeHttpResult
{
    // About a quarter of what Kestrel buffers for a response before a flush waits for the client (64 KiB).
    private const int FlushBytes = 16 * 1024;

    private static readonly JsonWriterOptions Options = new() { Indented = true, IndentSize = 2, NewLine = "\n" };

    /// <summary>What JSON requires escaped in a string: the quote, the backslash and the control characters.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(['"', '\\', .. Enumerable.Range(0, ' ').Select(code => (char)code)]);

    public string ContentType => "application/json";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var cancellationToken = httpContext.RequestAborted;
        await using var listed = notes.GetAsyncEnumerator(cancellationToken);
        // The first page is read before anything is written: a database that fails now still gets the error handler's
        // 503, not a "{" followed by problem details. Once the answer has started, a failure on a later page can only
        // end the connection, and the client gets a list cut short, without its closing brace.
        var more = await listed.MoveNextAsync();

        httpContext.Response.ContentType = ContentType;
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            // A GET's status and headers; reading every page to write a body nobody is sent would be work for nothing.
            return;
        }

        var body = httpContext.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        var flushed = 0L;
        while (more)
        {
            json.WritePropertyName(listed.Current.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteRawValue(Quoted(listed.Current.Description), skipInputValidation: true);
            // The writer hands the pipe each full block itself (BytesCommitted), but nothing sends them until a flush.
            if (json.BytesCommitted + json.BytesPending - flushed >= FlushBytes)
            {
                // The writer's flush only hands its bytes to the pipe; the pipe's flush sends them, and waits while the
                // client is behind: the next page is read from the database only as the client takes the previous ones.
                await json.FlushAsync(cancellationToken);
                flushed = json.BytesCommitted;
                if ((await body.FlushAsync(cancellationToken)).IsCompleted)
                {
                    return;
                }
            }

            more = await listed.MoveNextAsync();
        }

        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        await body.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>
    /// A description as a JSON string in which only what JSON requires is escaped: every other character, <c>&amp;</c>,
    /// <c>&lt;</c>, <c>é</c> and emoji alike, goes out as UTF-8, as typed. System.Text.Json's encoders escape characters
    /// beyond the BMP whatever their settings, so <c>café ☕ 😀</c> went out part raw, part <c>\uD83D\uDE00</c>.
    /// </summary>
    private static string Quoted(string text)
    {
        if (text.AsSpan().IndexOfAny(Escaped) < 0)
        {
            return string.Concat("\"", text, "\"");
        }

        var quoted = new StringBuilder(text.Length + 8).Append('"');
        foreach (var character in text)
        {
            _ = character switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}"),
                _ => quoted.Append(character),
            };
        }

        return quoted.Append('"').ToString();
    }
}
