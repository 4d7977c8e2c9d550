using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TelemetryBridge.Throughput;

/// <summary>The bridge as its own process, from a build of it, sending to the sinks in this process.</summary>
internal static class BridgeRun
{
    /// <summary>The bridge's build of the same configuration as this bench's (Release, as the README runs it).</summary>
    public static string DefaultDirectory()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "NotesAspire.sln")))
        {
            root = root.Parent!;
        }

        return Path.Combine(root.FullName, "NotesAspire.TelemetryBridge", "bin", configuration, "net10.0");
    }

    /// <param name="directory">A build of the bridge: <see cref="DefaultDirectory"/>, or a copy of another build to compare.</param>
    /// <param name="agent">Whether the bridge also sends to the sinks' agent, as when Datadog is configured.</param>
    public static Process Start(string directory, int grpcPort, int httpPort, Sinks sinks, bool agent)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "NotesAspire.TelemetryBridge.dll")])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["OTLP_GRPC_PORT"] = grpcPort.ToString();
        start.Environment["OTLP_HTTP_PORT"] = httpPort.ToString();
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{sinks.DashboardPort}";
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        if (agent)
        {
            start.Environment["DATADOG_OTLP_ENDPOINT"] = $"http://127.0.0.1:{sinks.AgentPort}";
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    public static async Task WaitAliveAsync(HttpClient client, Process bridge)
    {
        for (var i = 0; i < 300 && !bridge.HasExited; i++)
        {
            try
            {
                if ((await client.GetAsync("alive")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The bridge did not start.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
