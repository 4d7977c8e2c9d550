using System.Net;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// Beyond Aspire's defaults, as the tutorial's compose file had <c>restart: always</c>: what dies is started again and
/// the application serves again, with every committed note.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RestartTests(AppHostFixture apphost)
{
    [Fact]
    public async Task AKilledCalendarIsStartedAgain()
    {
        var service = ServiceProcessOf("calendar", "NotesAspire.Calendar");

        Assert.True(Signals.Send(service, Signals.SIGKILL));

        using var notes = apphost.CreateNotesClient();
        Assert.True(await Eventually.Serves(async () =>
        {
            using var response = await notes.PostAsync("/notes?desc=After&add_date=y", null);
            return response.StatusCode == HttpStatusCode.Created;
        }, ResourceWaits.Timeout));
        Assert.NotEqual(service, ServiceProcessOf("calendar", "NotesAspire.Calendar"));
        Assert.Contains(apphost.App.ResourceNotifications.TryGetCurrentState("calendar", out var state) ? state.Snapshot.Properties : [],
            property => property.Name == "restarts");
    }

    [Fact]
    public async Task AKilledPostgresIsStartedAgainWithEveryCommittedNote()
    {
        using var notes = apphost.CreateNotesClient();
        using var created = await notes.PostAsync("/notes?desc=Committed", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        var server = PostmasterProcessId();

        Assert.True(Signals.Send(server, Signals.SIGKILL));

        // The killed server's backends may answer a moment longer, until they notice: serving again means a new server.
        Assert.True(await Eventually.Serves(async () =>
        {
            if (!LinuxProcesses.IsAlive(server) && File.Exists(PostmasterFile) && PostmasterProcessId() != server)
            {
                using var response = await notes.GetAsync(location);
                return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).EndsWith(", Committed)");
            }

            return false;
        }, ResourceWaits.Timeout));
        await apphost.WaitUntilHealthyAsync("notesdb");
    }

    [Fact]
    public async Task APostgresThatCannotStartSaysWhyInItsRestartLineAndServesOnceItCan()
    {
        Assert.True(apphost.App.ResourceNotifications.TryGetCurrentState("postgres", out var postgres));
        var data = Path.GetDirectoryName(PostmasterFile)!;
        var server = PostmasterProcessId();
        // PostgreSQL checks its data folder's mode only as it starts, and refuses one its group may write to.
        File.SetUnixFileMode(data, File.GetUnixFileMode(data) | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
        try
        {
            Assert.True(Signals.Send(server, Signals.SIGKILL));

            var restart = await apphost.App.LogLineAsync(postgres.ResourceId, "exited with code 1 (");

            Assert.NotNull(restart);
            Assert.Matches($"exited with code 1 \\(FATAL:  data directory \"{Regex.Escape(data)}\" has invalid permissions\\); starting it again in \\d+ s", restart);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await apphost.WaitUntilHealthyAsync("notesdb");
    }

    /// <summary>The service itself, the child of the <c>dotnet run</c> that DCP started for the project.</summary>
    private int ServiceProcessOf(string resource, string assembly) =>
        LinuxProcesses.Descendants(apphost.ProcessIdOf(resource))
            .Single(pid => LinuxProcesses.CommandLineOf(pid).EndsWith(assembly, StringComparison.Ordinal));

    /// <summary>PostgreSQL's own lock file names the server's process; the resource's is the shell that runs it.</summary>
    private string PostmasterFile => Path.Combine(apphost.StateDirectory, "postgres", "data", "postmaster.pid");

    private int PostmasterProcessId() => int.TryParse(File.ReadLines(PostmasterFile).FirstOrDefault(), out var pid) ? pid : 0;
}
