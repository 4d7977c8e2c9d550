using System.Net;
using Microsoft.AspNetCore.Http;
using Google.Protobuf;
using Nerdbank.MessagePack;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;
using static NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>
/// The bridge and the tutorial's own agent configuration (APM on, no OTLP receiver): traces go to the agent's trace API
/// in MessagePack, to a real receiver of it in the test.
/// </summary>
public sealed class TraceApiTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("0102030405060708a1a2a3a4a5a6a7a8");

    [Fact]
    public async Task WithoutAnOtlpReceiverTracesGoToTheTraceApiNamedAsTheDashboardShows()
    {
        await using var dashboard = await StandInDashboard.StartAsync();
        await using var agent = await StandInTraceAgent.StartAsync();
        using var closedOtlp = new ClosedPort();
        await using var bridge = await BridgeProcess.StartAsync(dashboard.Address, null, new Dictionary<string, string>
        {
            ["DATADOG_OTLP_ENDPOINT"] = $"http://127.0.0.1:{closedOtlp.Port}",
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
        });

        var root = Span("POST /notes", SpanKind.Server, parent: null, ("http.request.method", "POST"), ("http.route", "/notes"));
        root.Attributes.Add(new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = 201 } });
        var query = Span("postgresql", SpanKind.Client, root, ("db.system.name", "postgresql"), ("db.query.text", "INSERT INTO notes (description) VALUES ($1)"));
        var failed = Span("AddDate", SpanKind.Internal, root);
        failed.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "calendar unreachable" };
        failed.Events.Add(new Span.Types.Event
        {
            Name = "exception",
            TimeUnixNano = failed.StartTimeUnixNano + 10,
            Attributes =
            {
                Otlp.Attribute("exception.type", "System.Net.Http.HttpRequestException"),
                Otlp.Attribute("exception.message", "Connection refused (calendar:9090)"),
                Otlp.Attribute("exception.stacktrace", "System.Net.Http.HttpRequestException: Connection refused\n   at Notes.AddDate()"),
            },
        });
        var resource = Otlp.Resource("notes", ("deployment.environment.name", "dev"), ("service.version", "0.1.0"));
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(resource, root, query, failed).ToByteArray()))).EnsureSuccessStatusCode();
        (await bridge.Http.PostAsync("v1/logs", Otlp.Protobuf(Otlp.Log("a log line").ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(() => agent.Accepted.Count == 1 && dashboard.Spans.Count() == 3), bridge.Output);
        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).NotCarried == 1), bridge.Output);

        // The console says which receiver and why, and what this path does not carry.
        Assert.True(await bridge.SaysAsync("Datadog: sending traces to the agent's trace API " + new Uri(agent.Address, "v0.4/traces")), bridge.Output);
        Assert.True(await bridge.SaysAsync($"no OTLP/HTTP receiver at http://127.0.0.1:{closedOtlp.Port}/"), bridge.Output);
        Assert.True(await bridge.SaysAsync("/info lists /v0.4/traces"), bridge.Output);
        Assert.True(await bridge.SaysAsync("logs and metrics are not sent to Datadog on this path"), bridge.Output);
        Assert.True(await bridge.SaysAsync("does not carry logs"), bridge.Output);

        var request = Assert.Single(agent.Accepted);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("application/msgpack", request.Headers["Content-Type"]);
        Assert.Equal("dotnet", request.Headers["Datadog-Meta-Lang"]);
        Assert.Equal(Environment.Version.ToString(), request.Headers["Datadog-Meta-Lang-Version"]);
        Assert.False(string.IsNullOrEmpty(request.Headers["Datadog-Meta-Tracer-Version"]));
        Assert.Equal("1", request.Headers["X-Datadog-Trace-Count"]);
        Assert.Equal("yes", request.Headers["Datadog-Client-Computed-Top-Level"]);
        // Else a busy agent drops a payload and still answers 200.
        Assert.Equal("true", request.Headers["Datadog-Send-Real-Http-Status"]);

        var spans = Assert.Single(request.Traces);
        Assert.Equal(3, spans.Count);
        Assert.All(spans, span =>
        {
            // Types as the agent's decoder reads them: strings, integers, a string map and a float map.
            foreach (var field in new[] { "service", "name", "resource", "type" })
            {
                Assert.Equal(MessagePackType.String, span.Types[field]);
            }

            foreach (var field in new[] { "trace_id", "span_id", "parent_id", "start", "duration", "error" })
            {
                Assert.Equal(MessagePackType.Integer, span.Types[field]);
            }

            Assert.All(span.MetricTypes.Values, type => Assert.Equal(MessagePackType.Float, type));
            Assert.Equal(0xa1a2a3a4a5a6a7a8UL, span.TraceId);
            Assert.Equal("0102030405060708a1a2a3a4a5a6a7a8", span.Meta["otel.trace_id"]);
            Assert.Equal(("notes", "dev", "0.1.0"), (span.Service, span.Meta["env"], span.Meta["version"]));
            Assert.Equal(1_800_000_000_000_000_000L, span.Start);
            Assert.Equal(100_000_000L, span.Duration);
            Assert.Equal(1, span.Metrics["_sampling_priority_v1"]);
        });

        var first = spans[0];
        Assert.Equal("0102030405060708", first.Meta["_dd.p.tid"]);
        Assert.All(spans.Skip(1), span => Assert.False(span.Meta.ContainsKey("_dd.p.tid")));

        var server = spans.Single(span => span.SpanId == Id(root.SpanId));
        Assert.Equal(("http.server.request", "POST /notes", "web", 0UL, 0), (server.Name, server.Resource, server.Type, server.ParentId, server.Error));
        Assert.Equal((1.0, 1.0), (server.Metrics["_top_level"], server.Metrics["_dd.top_level"]));
        Assert.Equal("server", server.Meta["span.kind"]);
        Assert.Equal("201", server.Meta["http.status_code"]);
        Assert.Equal(201, server.Metrics["http.response.status_code"]);

        var sql = spans.Single(span => span.SpanId == Id(query.SpanId));
        Assert.Equal(("postgresql.query", "INSERT INTO notes (description) VALUES ($1)", "sql", Id(root.SpanId)), (sql.Name, sql.Resource, sql.Type, sql.ParentId));
        Assert.Equal(1, sql.Metrics["_dd.measured"]);
        Assert.False(sql.Metrics.ContainsKey("_top_level"));

        var error = spans.Single(span => span.SpanId == Id(failed.SpanId));
        Assert.Equal(("Internal", "AddDate", "custom", 1), (error.Name, error.Resource, error.Type, error.Error));
        Assert.Equal("Connection refused (calendar:9090)", error.Meta["error.msg"]);
        Assert.Equal("System.Net.Http.HttpRequestException", error.Meta["error.type"]);
        Assert.StartsWith("System.Net.Http.HttpRequestException: Connection refused", error.Meta["error.stack"]);
        Assert.Equal("Error", error.Meta["otel.status_code"]);

        // The dashboard's preview is exactly what was sent.
        foreach (var previewed in dashboard.Spans)
        {
            var sent = spans.Single(span => span.SpanId == Id(previewed.SpanId));
            Assert.Equal(
                (sent.Name, sent.Resource, sent.Type, sent.Service, sent.Meta["env"], sent.Meta["version"]),
                (Otlp.Find(previewed, "datadog.operation_name"), Otlp.Find(previewed, "datadog.resource"), Otlp.Find(previewed, "datadog.span_type"),
                 Otlp.Find(previewed, "datadog.service"), Otlp.Find(previewed, "datadog.env"), Otlp.Find(previewed, "datadog.version")));
        }
    }

    [Fact]
    public async Task WhenTheAgentsOtlpReceiverAnswersItIsChosen()
    {
        await using var otlpAgent = await StandInAgent.StartAsync();
        await using var traceAgent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, otlpAgent.Address, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = traceAgent.Address.AbsoluteUri,
        });

        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span("over otlp", SpanKind.Internal)).ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(() => otlpAgent.Spans.Any(span => span.Name == "over otlp")), bridge.Output);
        Assert.True(await bridge.SaysAsync("Datadog: sending traces, logs and metrics to the agent's OTLP/HTTP receiver"), bridge.Output);
        Assert.Equal(0, traceAgent.Attempts);
    }

    [Fact]
    public async Task AnOtlpReceiverThatIsBusyIsAskedAgainNotTakenForNone()
    {
        await using var otlpAgent = await StandInAgent.StartAsync();
        otlpAgent.Status = StatusCodes.Status503ServiceUnavailable;
        await using var traceAgent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, otlpAgent.Address, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = traceAgent.Address.AbsoluteUri,
        });

        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span("after the wait", SpanKind.Internal)).ToByteArray()))).EnsureSuccessStatusCode();
        Assert.True(await bridge.SaysAsync("is busy (it answered 503 Service Unavailable); asking again"), bridge.Output);
        otlpAgent.Status = StatusCodes.Status200OK;

        Assert.True(await Eventually.IsTrue(() => otlpAgent.Spans.Any(span => span.Name == "after the wait")), bridge.Output);
        Assert.Equal(0, traceAgent.Attempts);
    }

    [Fact]
    public async Task WithOnlyTheTraceApiGivenItIsUsedWhateverTheProtocolSays()
    {
        await using var traceAgent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = traceAgent.Address.AbsoluteUri,
            ["DATADOG_PROTOCOL"] = "otlp",
        });

        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span("trace api", SpanKind.Server)).ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(() => traceAgent.Spans.Any(span => span.Resource == "trace api")), bridge.Output);
    }

    [Fact]
    public async Task LogsTheTraceApiDoesNotCarryTakeNoPlaceOfTracesInAnOutage()
    {
        await using var agent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
            ["Bridge__QueueCapacity"] = "3",
        });
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span("before", SpanKind.Server)).ToByteArray()))).EnsureSuccessStatusCode();
        Assert.True(await Eventually.IsTrue(() => agent.Accepted.Count == 1), bridge.Output);

        // Busy: every payload is answered 503 and waits its turn again.
        agent.Status = StatusCodes.Status503ServiceUnavailable;
        for (var i = 0; i < 3; i++)
        {
            (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span($"during {i}", SpanKind.Server)).ToByteArray()))).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 5; i++)
        {
            (await bridge.Http.PostAsync("v1/logs", Otlp.Protobuf(Otlp.Log($"log {i}").ToByteArray()))).EnsureSuccessStatusCode();
        }

        agent.Status = StatusCodes.Status200OK;

        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")) is { Sent: 4, Queued: 0 }), bridge.Output);
        var stats = await bridge.StatsAsync("datadog");
        Assert.Equal((9L, 4L, 0L, 5L), (stats.Received, stats.Sent, stats.Dropped, stats.NotCarried));
        Assert.Equal(["before", "during 0", "during 1", "during 2"], agent.Spans.Select(span => span.Resource));
    }

    [Fact]
    public async Task APayloadTheAgentRefusesIsSaidOnceWithItsAnswerAndNotRetried()
    {
        await using var agent = await StandInTraceAgent.StartAsync();
        agent.Status = 400;
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
            ["DATADOG_PROTOCOL"] = "traceapi",
        });

        for (var i = 0; i < 3; i++)
        {
            (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span($"refused {i}", SpanKind.Internal)).ToByteArray()))).EnsureSuccessStatusCode();
        }

        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).Rejected == 3), bridge.Output);
        // Requests go out in order, a retry before the next: one taken after the refusals shows none is retried.
        agent.Status = 200;
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span("after the refusals", SpanKind.Internal)).ToByteArray()))).EnsureSuccessStatusCode();
        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).Sent == 1), bridge.Output);
        Assert.Equal(4, agent.Attempts);
        var stats = await bridge.StatsAsync("datadog");
        Assert.Equal((4, 1, 0, 3, 0), (stats.Received, stats.Sent, stats.Retried, stats.Rejected, stats.Queued));
        var refusals = bridge.Output.Split('\n').Where(line => line.Contains("refused a request of traces", StringComparison.Ordinal)).ToList();
        Assert.Single(refusals);
        Assert.True(await bridge.SaysAsync("cannot decode v0.4 traces payload"), bridge.Output);
        Assert.Contains("400", refusals[0]);
        Assert.True(await bridge.SaysAsync("Datadog: sending traces to the agent's trace API"), bridge.Output);
    }

    [Fact]
    public async Task AnExportWhoseSpansWouldEachRepeatALargeResourceIsNotBuiltForTheTraceApi()
    {
        await using var agent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
            ["Bridge__MaxRequestBytes"] = "1048576",
        });

        // 30 KB on the wire; on the trace API, 2,000 copies of the 10 KB attribute: 20 MB.
        var resource = Otlp.Resource("notes", ("blob", new string('b', 10_000)));
        var spans = Enumerable.Range(0, 2_000).Select(_ => new Span()).ToArray();
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(resource, spans).ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).Rejected == 1), bridge.Output);
        Assert.True(await bridge.SaysAsync("The trace API payload would be larger than 2097152 bytes"), bridge.Output);
        Assert.Equal(0, agent.Attempts);
    }

    [Fact]
    public async Task APayloadPastTheAgentsLimitIsSentInPartsItTakes()
    {
        await using var agent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
        });

        // 2,000 copies of a 14 KB attribute: 28 MB on the trace API, past the agent's 25 MiB, within the bridge's 32 MiB.
        var resource = Otlp.Resource("notes", ("blob", new string('b', 14_000)));
        var spans = Enumerable.Range(0, 2_000).Select(i => Otlp.Span($"part {i}", SpanKind.Internal)).ToArray();
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(resource, spans).ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).Sent == 1), bridge.Output);
        Assert.Equal(2_000, agent.Spans.Select(span => span.Resource).Distinct().Count());
        Assert.True(agent.Accepted.Count >= 2, $"{agent.Accepted.Count} payloads");
        Assert.Equal(0, (await bridge.StatsAsync("datadog")).Rejected);
    }

    [Fact]
    public async Task APayloadPastTheLimitTheAgentsInfoGivesIsSentInPartsItTakes()
    {
        await using var agent = await StandInTraceAgent.StartAsync();
        agent.MaxRequestBytes = 200_000;
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
        });

        // A few hundred bytes a span on the trace API: about 500 KB, past the 200,000 bytes this agent takes.
        var spans = Enumerable.Range(0, 2_000).Select(i => Otlp.Span($"part {i}", SpanKind.Internal)).ToArray();
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(spans).ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).Sent == 1), bridge.Output);
        Assert.Equal(2_000, agent.Spans.Select(span => span.Resource).Distinct().Count());
        Assert.True(agent.Accepted.Count >= 3, $"{agent.Accepted.Count} payloads");
        Assert.Equal(agent.Accepted.Count, agent.Attempts);
        Assert.Equal(0, (await bridge.StatsAsync("datadog")).Rejected);
        Assert.True(await bridge.SaysAsync("in payloads of up to 200000 bytes"), bridge.Output);
    }

    [Fact]
    public async Task APayloadPastTwiceTheRequestLimitIsNotBuiltAndIsCountedRejected()
    {
        await using var agent = await StandInTraceAgent.StartAsync();
        await using var bridge = await BridgeProcess.StartAsync(null, null, new Dictionary<string, string>
        {
            ["DATADOG_TRACE_AGENT_URL"] = agent.Address.AbsoluteUri,
            ["Bridge__MaxRequestBytes"] = "65536",
        });

        // Nothing repeated is large, but each span takes a few hundred bytes of the trace API's own fields.
        var spans = Enumerable.Range(0, 600).Select(i => Otlp.Span($"s{i}", SpanKind.Internal)).ToArray();
        (await bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(spans).ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(async () => (await bridge.StatsAsync("datadog")).Rejected == 1), bridge.Output);
        Assert.True(await bridge.SaysAsync("The trace API payload would be larger than 131072 bytes"), bridge.Output);
        Assert.Equal(0, agent.Attempts);
    }

    private static Span Span(string name, SpanKind kind, Span? parent, params (string Key, string Value)[] attributes)
    {
        var span = Otlp.Span(name, kind, attributes);
        span.TraceId = ByteString.CopyFrom(TraceId);
        if (parent is not null)
        {
            span.ParentSpanId = parent.SpanId;
        }

        return span;
    }

    private static ulong Id(ByteString id) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(id.Span);
}
