using System.Net;
using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

[Collection(PostgresCollection.Name)]
public sealed class ConcurrencyTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    private const int Requests = 400;

    [Fact]
    public async Task ParallelPostsGetDistinctIdsAndNoneIsLost()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var response = await Notes.PostAsync($"/notes?desc=parallel-{i}", null);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, response => Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.Body}\n{App.Notes.Output}"));
        var ids = responses.Select(response => IdOf(response.Body)).ToList();
        Assert.Equal(Requests, ids.Distinct().Count());

        await using var dataSource = NpgsqlDataSource.Create(App.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(DISTINCT description) FROM notes WHERE description LIKE 'parallel-%'");
        Assert.Equal((long)Requests, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ParallelReadsAndWritesOfOneNoteAllSucceed()
    {
        using var created = await Notes.PostAsync("/notes?desc=contended", null);
        var location = created.Headers.Location;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var response = i % 2 == 0
                ? await Notes.GetAsync(location)
                : await Notes.PutAsync($"{location}?desc=contended-{i}", null);
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
