using System.Text.RegularExpressions;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>A PostgreSQL setting that cannot work: the run stops at once, naming the setting to change.</summary>
public sealed class PostgresSettingsTests
{
    [Theory]
    [InlineData("this is not a connection string, Password=Secret7f3a")]
    // A password with ';' and '=' unquoted: Npgsql takes its second half for a keyword, and names it.
    [InlineData("Host=db;Username=notes;Password=Xy;Secret7f3a=Q7;Database=notesdb")]
    public async Task AConnectionStringThatIsNotOneIsRefusedWithoutEchoingIt(string given)
    {
        var message = await AppHostModel.RefusalAsync($"ConnectionStrings:notesdb={given}");

        Assert.StartsWith("ConnectionStrings__notesdb is not a PostgreSQL connection string", message);
        Assert.DoesNotContain("secret7f3a", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AContainerAskedForWithoutAContainerRuntimeStopsTheRunSayingWhatToDo()
    {
        // Aspire would wait for the runtime for ever; the probe finds no docker on an empty PATH, whatever the machine has.
        var message = await AppHostModel.RefusalAsync("NotesAspire:Postgres=container", "ASPIRE_CONTAINER_RUNTIME=", "PATH=");

        Assert.Equal(
            "NotesAspire__Postgres (NotesAspire:Postgres) is 'container', but docker is not installed. Start a container engine (ASPIRE_CONTAINER_RUNTIME picks docker or podman), or use the machine's PostgreSQL binaries: NotesAspire__Postgres=local.",
            message);
    }

    [Fact]
    public async Task TheLineSayingWhichServerNamesTheSettingAsUsersSetIt()
    {
        using var state = TemporaryFolder.Create("state-line");
        var ports = FreePorts.Take(2);
        string[] elsewhere = ["DD_API_KEY=", "DD_AGENT_HOST=", "Datadog:OtlpEndpoint=", $"Ports:notes={ports[0]}", $"Ports:calendar={ports[1]}"];

        var local = await AppHostModel.ConsoleAtStartAsync([.. elsewhere, "NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={state.Path}"]);
        var existing = await AppHostModel.ConsoleAtStartAsync([.. elsewhere, "ConnectionStrings:notesdb=Host=127.0.0.1"]);

        Assert.Contains($"PostgreSQL: the machine's PostgreSQL binaries (NotesAspire__Postgres=local), data in {Path.Combine(state.Path, "postgres", "data")}.", local);
        Assert.Contains("PostgreSQL: the existing server of ConnectionStrings__notesdb.", existing);
    }

    [Fact]
    public async Task AFileGivenAsTheStateFolderIsRefusedNamingTheSetting()
    {
        using var folder = TemporaryFolder.Create("state-file");
        var file = Path.Combine(folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "");

        var message = await AppHostModel.RefusalAsync("NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={file}");

        Assert.StartsWith($"The state folder {file} (NOTESASPIRE_STATE_DIR) cannot hold PostgreSQL's data:", message);
    }

    [PostgresBinariesFact]
    public async Task AClusterMadeByAnotherPostgresVersionIsRefusedNamingBothAndWhatToDo()
    {
        // As after a distribution upgrade that brought a newer PostgreSQL: the old server's cluster stays.
        using var state = TemporaryFolder.Create("state-old-cluster");
        var data = Path.Combine(state.Path, "postgres", "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "PG_VERSION"), "9.6\n");

        var message = await AppHostModel.RefusalAsync("NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={state.Path}");

        Assert.StartsWith($"The PostgreSQL cluster in {data} was made by PostgreSQL 9.6, and this machine has the server of PostgreSQL ", message);
        Assert.EndsWith($"Install PostgreSQL 9.6's server (Debian: apt-get install postgresql-9.6), or move {data} away: the next start makes a new, empty cluster (pg_upgrade carries the notes over to a newer PostgreSQL).", message);
    }

    [RootFact]
    public async Task AStateFolderPostgresCannotReachIsRefusedNamingTheFolderInTheWay()
    {
        using var folder = TemporaryFolder.Create("state-closed");
        var closed = Path.Combine(folder.Path, "root-only");
        Directory.CreateDirectory(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var state = Path.Combine(closed, "state");

        var message = await AppHostModel.RefusalAsync("NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={state}");

        Assert.Matches(
            $"^PostgreSQL runs as [^ ]+, which cannot pass through {Regex.Escape(closed)} to reach the state folder {Regex.Escape(state)}\\. " +
            "Set NOTESASPIRE_STATE_DIR to a folder outside it \\(root's default is /var/lib/notesaspire\\)\\.$",
            message);
    }

    [RootFact]
    public async Task AStateFolderClosedToPostgresIsRefusedSayingHowToLetItIn()
    {
        // Made by root under a hardened umask before the AppHost opened the folders it makes; the user's own is left as it is.
        using var folder = TemporaryFolder.Create("state-own-closed");
        var state = Path.Combine(folder.Path, "state");
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var message = await AppHostModel.RefusalAsync("NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={state}");

        Assert.Matches(
            $"^PostgreSQL runs as [^ ]+, which cannot enter {Regex.Escape(state)}, where its data goes\\. " +
            $"Let it pass \\(chmod o\\+x {Regex.Escape(state)}\\), or set NOTESASPIRE_STATE_DIR to another folder\\.$",
            message);
    }
}
