using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace NotesAspire.Tests.AppHost;

[Collection(AppHostCollection.Name)]
public sealed class AppHostLifecycleTests
{
    [Fact]
    public async Task StoppedAppHostLeavesNoProcessAndNotesSurviveARestart()
    {
        using var instance = new IsolatedAppHost();
        var marker = $"written before a restart {Guid.NewGuid()}";
        string connectionString;
        await using (var first = await instance.StartAsync())
        {
            // Unpooled: a pooled connection would not survive the server's restart.
            connectionString = new NpgsqlConnectionStringBuilder(
                LinuxProcesses.EnvironmentOf(first.CurrentProcessId("notes")!.Value)["ConnectionStrings__notesdb"]) { Pooling = false }.ConnectionString;
            await ExecuteAsync(connectionString, "CREATE TABLE apphost_restart (text varchar(200) NOT NULL)");
            await ExecuteAsync(connectionString, "INSERT INTO apphost_restart VALUES ($1)", marker);
            var children = LinuxProcesses.Descendants(first.ProcessId);
            Assert.Contains(first.CurrentProcessId("postgres")!.Value, children);

            Assert.Equal(0, await first.StopAsync());

            Assert.DoesNotContain(children, LinuxProcesses.IsAlive);
            Assert.Contains(first.Lines, line => line.Contains("postgres") && line.Contains("Stopped"));
        }

        await using var second = await instance.StartAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT text FROM apphost_restart", connection);
        Assert.Equal(marker, await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task KilledAppHostTakesItsChildrenWithIt()
    {
        using var instance = new IsolatedAppHost();
        await using (var appHost = await instance.StartAsync())
        {
            var children = LinuxProcesses.Descendants(appHost.ProcessId);
            Assert.Contains(appHost.CurrentProcessId("notes")!.Value, children);
            Assert.Contains(appHost.CurrentProcessId("calendar")!.Value, children);
            Assert.Contains(appHost.CurrentProcessId("postgres")!.Value, children);

            appHost.Kill();
            await appHost.WaitForExitAsync();

            Assert.True(await Eventually.IsTrue(() => !children.Any(LinuxProcesses.IsAlive)),
                $"Still alive: {string.Join(", ", children.Where(LinuxProcesses.IsAlive))}");
        }

        // PostgreSQL, killed mid-run, recovers its data folder at the next start.
        await using var restarted = await instance.StartAsync();
        Assert.Contains(restarted.Lines, line => line.StartsWith("Ready in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PortInUseIsReportedBeforeAnythingStarts()
    {
        using var instance = new IsolatedAppHost();
        using var taken = new TcpListener(IPAddress.Loopback, instance.NotesPort);
        taken.Start();

        await using var appHost = AppHostProcess.Start(instance.Arguments);

        Assert.NotEqual(0, await appHost.WaitForExitAsync());
        Assert.Contains($"notes: port {instance.NotesPort} is in use", appHost.Output);
        Assert.Contains("--notes-port", appHost.Output);
        Assert.DoesNotContain(appHost.Lines, line => line.Contains("Running"));
    }

    [Fact]
    public async Task HelpListsTheOptions()
    {
        await using var appHost = AppHostProcess.Start("--help");

        Assert.Equal(0, await appHost.WaitForExitAsync());
        foreach (var option in new[] { "--state-dir", "--notes-port", "--calendar-port", "--postgres-port", "ConnectionStrings__postgres" })
        {
            Assert.Contains(option, appHost.Output);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
