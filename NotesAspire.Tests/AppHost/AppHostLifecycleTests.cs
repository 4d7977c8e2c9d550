using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

[Collection(AppHostCollection.Name)]
public sealed class AppHostLifecycleTests
{
    [Fact]
    public async Task StoppedAppHostLeavesNoProcessAndNotesSurviveARestart()
    {
        using var instance = new IsolatedAppHost();
        string created;
        await using (var first = await instance.StartAsync())
        {
            created = await SendAsync(HttpMethod.Post, new Uri(instance.NotesUrl, "/notes?desc=kept across restarts"));
            var children = LinuxProcesses.Descendants(first.ProcessId);
            Assert.Contains(first.CurrentProcessId("postgres")!.Value, children);

            Assert.Equal(0, await first.StopAsync());

            Assert.DoesNotContain(children, LinuxProcesses.IsAlive);
            Assert.Contains(first.Lines, line => line.Contains("postgres") && line.Contains("Stopped"));
        }

        await using var second = await instance.StartAsync();
        var id = Regex.Match(created, @"^\((\d+), kept across restarts\)$").Groups[1].Value;
        Assert.Equal(created, await SendAsync(HttpMethod.Get, new Uri(instance.NotesUrl, $"/notes?id={id}")));
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

    [Theory]
    [InlineData("notes", "--notes-port")]
    [InlineData("dashboard", "--dashboard-port")]
    public async Task PortInUseIsReportedBeforeAnythingStarts(string owner, string option)
    {
        using var instance = new IsolatedAppHost();
        var port = int.Parse(instance.Arguments[Array.IndexOf(instance.Arguments, option) + 1]);
        using var taken = new TcpListener(IPAddress.Loopback, port);
        taken.Start();

        await using var appHost = AppHostProcess.Start(instance.Arguments);

        Assert.NotEqual(0, await appHost.WaitForExitAsync());
        Assert.Contains($"{owner}: port {port} is in use by another program. Stop it, or choose another port with {option} <port>.", appHost.Output);
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

    private static async Task<string> SendAsync(HttpMethod method, Uri uri)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.SendAsync(new HttpRequestMessage(method, uri));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
