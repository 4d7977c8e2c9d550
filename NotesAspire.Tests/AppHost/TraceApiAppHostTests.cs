using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nerdbank.MessagePack;
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

public sealed class TraceApiAppHostTests(TraceApiAppHostFixture apphost) : IClassFixture<TraceApiAppHostFixture>
{
    [Fact]
    public async Task APostWithAddDateReachesTheAgentsTraceApiAsOneTraceAcrossNotesPostgresAndCalendar()
    {
        var (traceId, traceParent) = DashboardSpans.NewTraceContext();
        var callerSpanId = Convert.ToUInt64(traceParent.Split('-')[2], 16);
        using var notes = apphost.App.CreateHttpClient("notes");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notes?desc=x&add_date=y") { Headers = { { "traceparent", traceParent } } };
        (await notes.SendAsync(request)).EnsureSuccessStatusCode();

        List<TraceApiSpan> Spans() => apphost.Agent.Spans.Where(span => span.Meta.GetValueOrDefault("otel.trace_id") == traceId).ToList();
        Assert.True(
            await Eventually.IsTrue(() => Spans() is var spans
                && spans.Any(span => span.Service == "calendar" && span.Type == "web")
                && spans.Any(span => span.Name == "postgresql.query")
                && spans.Any(span => span.Service == "notes" && span.Name == "http.server.request")),
            $"Spans of the trace: {string.Join("; ", Spans())}{Environment.NewLine}{apphost.TelemetryConsole}");
        var spans = Spans();

        // One trace: the low 64 bits of the W3C id, the high ones as _dd.p.tid.
        Assert.All(spans, span => Assert.Equal(Convert.ToUInt64(traceId[16..], 16), span.TraceId));
        Assert.Contains(spans, span => span.Meta.GetValueOrDefault("_dd.p.tid") == traceId[..16]);

        var root = Assert.Single(spans, span => span.Service == "notes" && span.Name == "http.server.request");
        Assert.Equal(("POST /notes", "web", callerSpanId, 0), (root.Resource, root.Type, root.ParentId, root.Error));
        Assert.Equal((1.0, 1.0), (root.Metrics["_top_level"], root.Metrics["_sampling_priority_v1"]));
        var query = spans.First(span => span.Name == "postgresql.query");
        Assert.Equal(("notes", "sql", 1.0), (query.Service, query.Type, query.Metrics["_dd.measured"]));
        Assert.StartsWith("INSERT INTO notes", query.Resource, StringComparison.OrdinalIgnoreCase);
        var calendar = Assert.Single(spans, span => span.Service == "calendar" && span.Type == "web");
        Assert.Equal(("http.server.request", "GET /calendar", 1.0), (calendar.Name, calendar.Resource, calendar.Metrics["_top_level"]));

        // Every span hangs off another of the trace, up to the caller's; types as the agent's decoder reads them.
        var ids = spans.Select(span => span.SpanId).Append(callerSpanId).ToHashSet();
        Assert.All(spans, span =>
        {
            Assert.Contains(span.ParentId, ids);
            Assert.Equal(("dev", "0.1.0"), (span.Meta["env"], span.Meta["version"]));
            Assert.True(span.Start > 1_700_000_000_000_000_000L && span.Duration > 0, $"{span}: start {span.Start}, duration {span.Duration}");
            Assert.Equal(
                [MessagePackType.Integer, MessagePackType.Integer, MessagePackType.Integer, MessagePackType.Integer],
                new[] { "trace_id", "start", "duration", "error" }.Select(field => span.Types[field]));
            Assert.All(span.MetricTypes.Values, type => Assert.Equal(MessagePackType.Float, type));
        });

        // The consoles say where Datadog's data goes, and what this path does not carry.
        Assert.True(await Eventually.IsTrue(() => apphost.TelemetryConsole.Contains("Datadog: sending traces to the agent's trace API", StringComparison.Ordinal)), apphost.TelemetryConsole);
        Assert.Contains("Datadog: to the agent on 127.0.0.1 (DD_AGENT_HOST)", apphost.TelemetryConsole);
        Assert.Contains($"no OTLP/HTTP receiver at http://127.0.0.1:{apphost.ClosedOtlpPort}/", apphost.TelemetryConsole);
        Assert.Contains("logs and metrics are not sent to Datadog on this path", apphost.TelemetryConsole);
    }
}
