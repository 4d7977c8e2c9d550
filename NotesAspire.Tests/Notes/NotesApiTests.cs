using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>The API's behaviour past the tutorial's happy path, including each bug of the original app, fixed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class NotesApiTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    [Fact]
    public async Task PostAnswersCreatedWithTheLocationOfTheNewNote()
    {
        using var response = await Notes.PostAsync("/notes?desc=Located", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = IdOf(await response.Content.ReadAsStringAsync());
        Assert.Equal($"/notes/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"({id}, Located)", await Notes.GetStringAsync(response.Headers.Location));
    }

    [Theory]
    [InlineData("GET", "/notes?id=999999")]
    [InlineData("GET", "/notes/999999")]
    [InlineData("PUT", "/notes?id=999999&desc=x")]
    [InlineData("PUT", "/notes/999999?desc=x")]
    [InlineData("DELETE", "/notes?id=999999")]
    [InlineData("DELETE", "/notes/999999")]
    public async Task UnknownIdReturnsNotFound(string method, string url)
    {
        var problem = await Problem(method, url, HttpStatusCode.NotFound);
        Assert.Equal("Note 999999 does not exist.", problem.Detail);
    }

    [Fact]
    public async Task PathFormReadsUpdatesAndDeletesANote()
    {
        var id = await CreateNoteAsync("Path form");

        Assert.Equal($"({id}, Path form)", await Notes.GetStringAsync($"/notes/{id}"));
        Assert.Equal($"({id}, Changed)", await (await Notes.PutAsync($"/notes/{id}?desc=Changed", null)).Content.ReadAsStringAsync());
        Assert.Equal("Deleted", await (await Notes.DeleteAsync($"/notes/{id}")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Notes.GetAsync($"/notes/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/notes", "desc", "desc is required.")]
    [InlineData("POST", "/notes?desc=", "desc", "desc must not be empty.")]
    [InlineData("POST", "/notes?desc=%20%20", "desc", "desc must not be empty.")]
    [InlineData("POST", "/notes?desc=%E2%80%8B%EF%BB%BF", "desc", "desc must not be empty.")]
    [InlineData("POST", "/notes?desc=%E3%85%A4%EF%BE%A0%E2%A0%80", "desc", "desc must not be empty.")]
    [InlineData("PUT", "/notes/1?desc=%EF%B8%8F%CD%8F%F3%A0%80%A0", "desc", "desc must not be empty.")]
    [InlineData("POST", "/notes?desc=%E1%85%9F%E1%9E%B4%E1%A0%8B%EF%BF%B0%F3%A0%84%80", "desc", "desc must not be empty.")]
    [InlineData("POST", "/notes?desc=a%00b", "desc", "desc must not contain control characters; it has U+0000.")]
    [InlineData("POST", "/notes?desc=a%1B%5B31mb", "desc", "desc must not contain control characters; it has U+001B.")]
    [InlineData("PUT", "/notes/1?desc=a%0D%0ALocation:%20x", "desc", "desc must not contain control characters; it has U+000D.")]
    [InlineData("POST", "/notes?desc=x&add_date=maybe", "add_date", "add_date must be y or n; got 'maybe'.")]
    [InlineData("PUT", "/notes?id=1", "desc", "desc is required.")]
    [InlineData("PUT", "/notes?desc=x", "id", "id is required.")]
    [InlineData("DELETE", "/notes", "id", "id is required.")]
    [InlineData("GET", "/notes?id=", "id", "id must be a whole number from 1 to 2147483647; got ''.")]
    [InlineData("GET", "/notes?id=abc", "id", "id must be a whole number from 1 to 2147483647; got 'abc'.")]
    [InlineData("GET", "/notes/4.5", "id", "id must be a whole number from 1 to 2147483647; got '4.5'.")]
    [InlineData("PUT", "/notes?id=-3&desc=x", "id", "id must be a whole number from 1 to 2147483647; got '-3'.")]
    [InlineData("DELETE", "/notes?id=99999999999", "id", "id must be a whole number from 1 to 2147483647; got '99999999999'.")]
    [InlineData("GET", "/notes?id=1&id=2", "id", "id must be given once; got it 2 times.")]
    [InlineData("GET", "/notes/1?id=2", "id", "id must be given once, in the path or in the query; got it in both.")]
    [InlineData("GET", "/notes/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%F0%9F%98%80bbb", "id", "id must be a whole number from 1 to 2147483647; got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\U0001F600…'.")]
    [InlineData("GET", "/notes?id=1%00", "id", "id must be a whole number from 1 to 2147483647; got '1\0'.")]
    [InlineData("PUT", "/notes?id=1%00%00&desc=x", "id", "id must be a whole number from 1 to 2147483647; got '1\0\0'.")]
    public async Task BadInputIsRejectedWithAMessageNamingTheParameter(string method, string url, string parameter, string message)
    {
        var problem = await Problem(method, url, HttpStatusCode.BadRequest);
        Assert.Equal([message], Assert.IsType<JsonElement>(problem.Extensions["errors"]).GetProperty(parameter).Deserialize<string[]>()!);
    }

    [Fact]
    public async Task NonIntegerIdLeavesTheServiceWorking()
    {
        await Problem("GET", "/notes?id=abc", HttpStatusCode.BadRequest);

        var id = await CreateNoteAsync("Still working");
        Assert.Equal($"({id}, Still working)", await Notes.GetStringAsync($"/notes?id={id}"));
    }

    [Fact]
    public async Task OverLongDescriptionIsRejectedAndNothingIsWritten()
    {
        var before = await CountNotesAsync();

        var problem = await Problem("POST", $"/notes?desc={new string('x', 256)}", HttpStatusCode.BadRequest);
        var withDate = await Problem("POST", $"/notes?desc={new string('x', 235)}&add_date=y", HttpStatusCode.BadRequest);

        Assert.Contains("at most 255 characters", problem.Extensions["errors"]!.ToString());
        Assert.Contains("at most 234 characters long when add_date=y", withDate.Extensions["errors"]!.ToString());
        Assert.Equal(before, await CountNotesAsync());
    }

    [Fact]
    public async Task DescriptionOf255CharactersIsKeptWhole()
    {
        var description = string.Concat(Enumerable.Repeat("é", 254)) + "😀";

        var id = await CreateNoteAsync(Uri.EscapeDataString(description));

        Assert.Equal($"({id}, {description})", await Notes.GetStringAsync($"/notes/{id}"));
    }

    [Fact]
    public async Task DescriptionWithInvisibleCharactersBesideVisibleOnesIsKept()
    {
        // A heart with its emoji variation selector; a Hangul word, then a Hangul filler; a format character that shows.
        foreach (var description in new[] { "\u2764\uFE0F \uD55C\u3164", "\u0600" })
        {
            var id = await CreateNoteAsync(Uri.EscapeDataString(description));

            Assert.Equal($"({id}, {description})", await Notes.GetStringAsync($"/notes/{id}"));
        }
    }

    [Fact]
    public async Task UpdateWithOverLongDescriptionLeavesTheNoteAsItWas()
    {
        var id = await CreateNoteAsync("Unchanged");

        await Problem("PUT", $"/notes/{id}?desc={new string('x', 256)}", HttpStatusCode.BadRequest);

        Assert.Equal($"({id}, Unchanged)", await Notes.GetStringAsync($"/notes/{id}"));
    }

    [Theory]
    [InlineData("y")]
    [InlineData("Y")]
    public async Task AddDateAppendsTheCalendarsDate(string addDate)
    {
        using var response = await Notes.PostAsync($"/notes?desc=Meeting&add_date={addDate}", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches(@"^\(\d+, Meeting with date \d\d/\d\d/2022\)$", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AddDateNoSavesTheDescriptionAsGiven()
    {
        using var response = await Notes.PostAsync("/notes?desc=Undated&add_date=n", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("(1, Undated)", await response.Content.ReadAsStringAsync());
        Assert.Equal("(1, Undated)", await Notes.GetStringAsync(response.Headers.Location));
    }

    [Fact]
    public async Task ListIsOrderedByNumericIdAndKeepsDescriptionsExactly()
    {
        const string tricky = "Tom & Jerry <say> \"hi\" 'there' \\ ü";
        for (var i = 0; i < 11; i++)
        {
            await CreateNoteAsync(Uri.EscapeDataString(tricky));
        }

        using var response = await Notes.GetAsync("/notes");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var notes = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateObject().ToList();

        var ids = notes.Select(note => int.Parse(note.Name)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Contains(ids, id => id < 10);
        Assert.Contains(ids, id => id >= 10);
        Assert.Equal(tricky, notes[^1].Value.GetString());
    }

    [Fact]
    public async Task TheListSendsEveryCharacterAsTypedButWhatJsonMustEscape()
    {
        await CreateNoteAsync(Uri.EscapeDataString("café ☕ 😀 Tom & Jerry <b>'x'</b>"));
        await CreateNoteAsync(Uri.EscapeDataString("say \"hi\" \\ there"));
        // Control characters only reach the table from elsewhere: the API refuses them.
        await ExecuteSqlAsync("INSERT INTO notes (description) VALUES (E'tab\\there\\x01')");

        var body = await Notes.GetStringAsync("/notes");

        Assert.Contains("\"café ☕ 😀 Tom & Jerry <b>'x'</b>\"", body);
        Assert.Contains("\"say \\\"hi\\\" \\\\ there\"", body);
        Assert.Contains("\"tab\\there\\u0001\"", body);
    }

    [Fact]
    public async Task ClientsThatStopReadingTheListLeaveTheDatabaseToEveryoneElse()
    {
        // About 55 MB of JSON, far more than the buffers between the service and a client that reads nothing can hold;
        // and more such clients than the service has connections (Maximum Pool Size 40: NotesDataSource).
        const int Count = 200_000;
        const int Stalled = 45;
        await ExecuteSqlAsync($"INSERT INTO notes (description) SELECT repeat('x', 250) FROM generate_series(1, {Count})");
        await using var database = NpgsqlDataSource.Create(App.ConnectionString);
        using var slowClient = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectWithSmallReceiveBufferAsync })
        {
            BaseAddress = App.Notes.BaseAddress,
        };

        var lists = await Task.WhenAll(Enumerable.Range(0, Stalled).Select(_ => slowClient.GetAsync("/notes", HttpCompletionOption.ResponseHeadersRead)));
        try
        {
            // Each list is under way, its client reading nothing, and none of them holds a query open in PostgreSQL.
            Assert.All(lists, list => Assert.Equal(HttpStatusCode.OK, list.StatusCode));
            Assert.True(await Eventually.IsTrue(async () => await QueriesUnderWayAsync(database) == "none"), await QueriesUnderWayAsync(database));

            var id = await CreateNoteAsync("while-lists-wait");
            Assert.Equal($"({id}, while-lists-wait)", await Notes.GetStringAsync($"/notes/{id}"));

            // A stalled list goes on where it stopped once its client reads: every note, in order, each once, and the
            // note created while it waited, which a service that had read the whole list at once would not have seen.
            var ids = await NoteIdsAsync(lists[0]);
            Assert.Equal(Count + 1, ids.Count);
            Assert.Equal(id, ids[^1]);
            Assert.Equal(ids.Order(), ids);
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
        finally
        {
            foreach (var list in lists)
            {
                list.Dispose();
            }
        }
    }

    private static async Task<List<int>> NoteIdsAsync(HttpResponseMessage list)
    {
        await using var body = await list.Content.ReadAsStreamAsync();
        return [.. (await JsonDocument.ParseAsync(body)).RootElement.EnumerateObject().Select(note => int.Parse(note.Name))];
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/notes")]
    [InlineData("/notes/{id}")]
    [InlineData("/notes?id={id}")]
    [InlineData("/health")]
    public async Task HeadAnswersAsGetWithoutTheBody(string path)
    {
        var url = path.Replace("{id}", (await CreateNoteAsync("Headed")).ToString());
        using var get = await Notes.GetAsync(url);
        using var head = await Notes.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("GET", "/notes?id=abc", HttpStatusCode.BadRequest, null)]
    [InlineData("GET", "/nothing-here", HttpStatusCode.NotFound, "Nothing answers GET /nothing-here.")]
    [InlineData("PATCH", "/notes?id=1&desc=x", HttpStatusCode.MethodNotAllowed, "/notes does not take PATCH; it takes DELETE, GET, HEAD, POST, PUT.")]
    [InlineData("POST", "/notes/1?desc=x", HttpStatusCode.MethodNotAllowed, "/notes/1 does not take POST; it takes DELETE, GET, HEAD, PUT.")]
    // A client that does not ask for JSON gets the same explanation.
    [InlineData("GET", "/nothing-here", HttpStatusCode.NotFound, "Nothing answers GET /nothing-here.", "text/html")]
    [InlineData("PATCH", "/notes?id=1&desc=x", HttpStatusCode.MethodNotAllowed, "/notes does not take PATCH; it takes DELETE, GET, HEAD, POST, PUT.", "text/plain")]
    [InlineData("GET", "/notes?id=abc", HttpStatusCode.BadRequest, null, "text/html")]
    public async Task ErrorsAreProblemDetails(string method, string url, HttpStatusCode status, string? detail, string? accept = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await Notes.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal((int)status, problem.Status);
        Assert.Equal(detail, problem.Detail);
    }

    private async Task<ProblemDetails> Problem(string method, string url, HttpStatusCode status)
    {
        using var response = await Notes.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
    }

    /// <summary>The service's queries under way in PostgreSQL, with what each waits on; the pool's idle connections left out.</summary>
    private static async Task<string> QueriesUnderWayAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("""
            SELECT string_agg(coalesce(wait_event, 'running') || ': ' || query, '; ')
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'
            """);
        return (await command.ExecuteScalarAsync()) as string ?? "none";
    }

    /// <summary>
    /// A client socket with a small, fixed receive buffer: the kernel would otherwise grow it to tens of megabytes
    /// (net.ipv4.tcp_rmem) and take in much of the list while the test reads nothing.
    /// </summary>
    private static async ValueTask<Stream> ConnectWithSmallReceiveBufferAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024, NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
