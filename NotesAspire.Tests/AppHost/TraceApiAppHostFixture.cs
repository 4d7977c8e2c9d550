using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using NotesAspire.Tests.Infrastructure;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The real AppHost as a user of the tutorial runs it with <c>DD_AGENT_HOST</c> and the tutorial's agent configuration
/// (APM on, no OTLP receiver): a real receiver of the agent's trace API in the test, on a free port
/// (<c>DD_TRACE_AGENT_PORT</c>), and nothing on the agent's OTLP port (<c>Datadog:AgentOtlpHttpPort</c>). Its own
/// AppHost, without the dashboard, so it costs one start and stop.
/// </summary>
public sealed class TraceApiAppHostFixture : IAsyncLifetime
{
    private readonly TemporaryFolder _state = TemporaryFolder.Create("apphost-traceapi");
    private readonly ConcurrentQueue<string> _telemetryConsole = new();
    private readonly CancellationTokenSource _stopping = new();

    public DistributedApplication App { get; private set; } = null!;

    public StandInTraceAgent Agent { get; private set; } = null!;

    private readonly int[] _ports = FreePorts.Take(2);
    private readonly ClosedPort _closedOtlp = new();

    public int ClosedOtlpPort => _closedOtlp.Port;

    /// <summary>The console of the <c>telemetry</c> resource (the bridge), as the dashboard shows it.</summary>
    public string TelemetryConsole => string.Join(Environment.NewLine, _telemetryConsole);

    public async Task InitializeAsync()
    {
        Agent = await StandInTraceAgent.StartAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
        [
            "NotesAspire:Postgres=local",
            $"NOTESASPIRE_STATE_DIR={_state.Path}",
            // Whatever the machine has: no agent container, no explicit OTLP endpoint.
            "DD_API_KEY=",
            "Datadog:OtlpEndpoint=",
            "DD_AGENT_HOST=127.0.0.1",
            $"DD_TRACE_AGENT_PORT={Agent.Port}",
            $"Datadog:AgentOtlpHttpPort={ClosedOtlpPort}",
            $"Ports:notes={_ports[0]}",
            $"Ports:calendar={_ports[1]}",
        ]);

        App = await builder.BuildAsync();
        await App.StartAsync();
        _ = Task.Run(async () =>
        {
            try
            {
                // By resource, not by name: a project's logs are kept under its DCP instance's name.
                var telemetry = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == "telemetry");
                await foreach (var lines in App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(telemetry).WithCancellation(_stopping.Token))
                {
                    foreach (var line in lines)
                    {
                        _telemetryConsole.Enqueue(line.Content);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        foreach (var resource in new[] { "telemetry", "postgres", "notesdb", "calendar", "notes" })
        {
            await App.WaitUntilHealthyAsync(resource);
        }
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await App.StopAndDisposeAsync();
        }
        finally
        {
            if (Agent is not null)
            {
                await Agent.DisposeAsync();
            }

            _stopping.Dispose();
            _closedOtlp.Dispose();
            _state.Dispose();
        }
    }
}
