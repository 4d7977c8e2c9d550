using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NotesAspire.AppHost.Postgres;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// An existing server (ConnectionStrings__notesdb) that cannot be reached: notes keeps trying, and the AppHost's console
/// says so once, and again when it can be reached, never with the password.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ExistingServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AServerThatCannotBeReachedIsSaidOnceOnTheAppHostsConsoleAndAgainWhenItCanBe()
    {
        var real = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync());
        await using var late = new LateServerPort();
        var given = new NpgsqlConnectionStringBuilder(real.ConnectionString) { Host = "127.0.0.1", Port = late.Port };
        var where = $"PostgreSQL at 127.0.0.1:{late.Port} (ConnectionStrings__notesdb)";
        var ports = FreePorts.Take(2);
        var console = new AppHostConsole();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            [$"ConnectionStrings:notesdb={given.ConnectionString}", $"Ports:notes={ports[0]}", $"Ports:calendar={ports[1]}"]);
        builder.Services.AddLogging(logging => logging.AddProvider(console));
        await using var app = await builder.BuildAsync();

        await app.StartAsync();
        Assert.True(
            await Eventually.IsTrue(() => console.Lines.Any(line => line.StartsWith(where, StringComparison.Ordinal))),
            $"The AppHost's console said nothing of the server:{Environment.NewLine}{string.Join(Environment.NewLine, console.Lines)}");

        // The server comes up: the port now leads to the real one.
        late.ForwardTo(real.Host!, real.Port);
        Assert.True(
            await Eventually.IsTrue(() => console.Lines.Contains($"{where} can be reached now.")),
            $"The AppHost's console did not say the server can be reached:{Environment.NewLine}{string.Join(Environment.NewLine, console.Lines)}");

        Assert.Equal(
            [$"{where} cannot be reached: Connection refused. notes keeps trying until it can.", $"{where} can be reached now."],
            console.Lines.Where(line => line.StartsWith(where, StringComparison.Ordinal)));
        Assert.DoesNotContain(console.Lines, line => line.Contains(real.Password!, StringComparison.Ordinal));
        // Notes kept trying, and serves once the server is there.
        await app.WaitUntilHealthyAsync("notes");
        await app.StopAsync();
    }

    [Fact]
    public async Task AServerThatCannotBeReachedIsNoLongerTriedOnceTheAppIsDisposedWithoutBeingStopped()
    {
        await using var server = new HangUpPort();
        var where = $"PostgreSQL at 127.0.0.1:{server.Port} (ConnectionStrings__notesdb)";
        var console = new AppHostConsole();
        // Built as an AppHost of its own: a testing builder's app stops itself when disposed, and so never shows it.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [$"ConnectionStrings:notesdb=Host=127.0.0.1;Port={server.Port};Username=notes;Password=notes;Database=notesdb"],
            AssemblyName = typeof(PostgresDatabaseBuilderExtensions).Assembly.GetName().Name,
            DisableDashboard = true,
        });
        builder.Services.AddLogging(logging => logging.AddProvider(console));
        builder.AddPostgresDatabase(serverName: "postgres", databaseName: "notesdb");
        var app = builder.Build();
        try
        {
            await app.StartAsync();
            Assert.True(
                await Eventually.IsTrue(() => console.Lines.Any(line => line.StartsWith($"{where} cannot be reached", StringComparison.Ordinal))),
                $"The AppHost's console said nothing of the server:{Environment.NewLine}{string.Join(Environment.NewLine, console.Lines)}");
        }
        finally
        {
            // Disposed only, as a test that never stops it or a failed start leaves it: ApplicationStopping never fires.
            await app.DisposeAsync();
        }

        // The disposal waited for the probing to end, an attempt under way included: none may come after it.
        var tried = server.Connections;
        await Task.Delay(ExistingServerReachability.Interval + TimeSpan.FromSeconds(1));

        Assert.Equal(tried, server.Connections);
    }
}
