using System.Net;
using System.Net.Sockets;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The AppHost as a real process, as <c>dotnet run</c> starts it, refusing a setting: its output ends with the refusal's
/// one line, not an unhandled exception's stack, and it exits with code 1.
/// </summary>
public sealed class RefusalOutputTests
{
    [Fact]
    public async Task ASettingRefusedWhileTheModelIsBuiltEndsTheAppHostWithItsMessageAloneAndExitCodeOne()
    {
        await using var apphost = Launch(new() { ["Ports__notes"] = "abc" });

        await apphost.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("Ports__notes (Ports:notes) is 'abc'; it takes a port number from 1 to 65535.", apphost.Output);
        Assert.Equal(1, apphost.ExitCode);
    }

    [Fact]
    public async Task APortHeldAtStartEndsTheAppHostWithItsMessageAloneAndExitCodeOne()
    {
        // Refused in BeforeStartEvent, after the AppHost's console has spoken and waited for the port.
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var apphost = Launch(new() { ["Ports__notes"] = taken.ToString() });

        await apphost.WaitForExitAsync(TimeSpan.FromMinutes(1));

        var lines = apphost.Output.Split(Environment.NewLine);
        Assert.Equal(
            $"Port {taken}, where notes listens, is in use by another program (another AppHost?). Stop it, or move notes with Ports__notes=<a free port>.",
            lines[^1]);
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.Contains("Unhandled exception", StringComparison.Ordinal));
        Assert.Equal(1, apphost.ExitCode);
    }

    /// <summary>The built AppHost on free ports, with an existing server (never reached) and no Datadog settings of the machine's.</summary>
    private static ServiceProcess Launch(Dictionary<string, string> settings)
    {
        var ports = FreePorts.Take(5);
        return ServiceProcess.Launch("NotesAspire.AppHost", new Uri($"http://127.0.0.1:{ports[0]}"), variables =>
        {
            variables.PutDashboardOn(ports[0], ports[1], ports[2], ports[3]);
            variables["ConnectionStrings__notesdb"] = "Host=127.0.0.1";
            variables["Ports__calendar"] = ports[4].ToString();
            foreach (var name in new[] { "DD_API_KEY", "DD_AGENT_HOST", "DD_SITE", "Datadog__OtlpEndpoint" })
            {
                variables.Remove(name);
            }

            foreach (var (name, value) in settings)
            {
                variables[name] = value;
            }
        });
    }
}
