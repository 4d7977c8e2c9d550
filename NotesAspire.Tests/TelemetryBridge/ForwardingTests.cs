using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;
using static NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types;

namespace NotesAspire.Tests.TelemetryBridge;

public sealed class ForwardingTests
{
    [Fact]
    public async Task TracesLogsAndMetricsReachBothDestinations()
    {
        await using var rig = await BridgeRig.StartAsync();
        var overGrpc = Otlp.Trace(Otlp.Span("over grpc", SpanKind.Internal));
        var overHttp = Otlp.Trace(Otlp.Span("over http", SpanKind.Internal));

        await new TraceService.TraceServiceClient(rig.Bridge.Grpc).ExportAsync(overGrpc);
        (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(overHttp.ToByteArray()))).EnsureSuccessStatusCode();
        await new LogsService.LogsServiceClient(rig.Bridge.Grpc).ExportAsync(Otlp.Log("a log line"));
        (await rig.Bridge.Http.PostAsync("v1/metrics", Otlp.Protobuf(Otlp.Metric("notes.created").ToByteArray()))).EnsureSuccessStatusCode();

        Assert.True(await Eventually.IsTrue(() =>
            rig.Dashboard.Traces.Count == 2 && rig.Dashboard.Logs.Count == 1 && rig.Dashboard.Metrics.Count == 1 && rig.Agent.Accepted.Count == 4),
            rig.Bridge.Output);
        Assert.Equal(["over grpc", "over http"], rig.Dashboard.Spans.Select(s => s.Name).Order());
        Assert.Equal(["over grpc", "over http"], rig.Agent.Spans.Select(s => s.Name).Order());
        Assert.Equal(["/v1/logs", "/v1/metrics", "/v1/traces", "/v1/traces"], rig.Agent.Accepted.Select(a => a.Path).Order());
        Assert.Equal("a log line", rig.Dashboard.Logs.Single().ResourceLogs[0].ScopeLogs[0].LogRecords[0].Body.StringValue);
        Assert.Equal(0, rig.Dashboard.WithoutApiKey);
        // The agent holds a request before its answer reaches the bridge, which only then counts it as sent.
        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("datadog") is { Sent: 4, Queued: 0 }), rig.Bridge.Output);
        var datadog = await rig.Bridge.StatsAsync("datadog");
        Assert.Equal((4, 4, 0, 0, 0), (datadog.Received, datadog.Sent, datadog.Dropped, datadog.Rejected, datadog.Queued));
    }

    [Fact]
    public async Task WhatADestinationRejectsOfARequestItTookIsSaidOnceAndTheRequestCountsAsSent()
    {
        await using var rig = await BridgeRig.StartAsync();
        rig.Agent.Answer = new ExportLogsServiceResponse { PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = 2, ErrorMessage = "stand-in agent: log too old" } }.ToByteArray();

        for (var i = 0; i < 2; i++)
        {
            (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span($"partly {i}", SpanKind.Internal), Otlp.Span("", SpanKind.Internal)).ToByteArray()))).EnsureSuccessStatusCode();
            (await rig.Bridge.Http.PostAsync("v1/logs", Otlp.Protobuf(Otlp.Log($"partly {i}").ToByteArray()))).EnsureSuccessStatusCode();
        }

        Assert.True(await Eventually.IsTrue(async () =>
            await rig.Bridge.StatsAsync("dashboard") is { Sent: 4, Queued: 0 } && await rig.Bridge.StatsAsync("datadog") is { Sent: 4, Queued: 0 }), rig.Bridge.Output);
        Assert.True(await rig.Bridge.SaysAsync("took a request of traces but rejected part of it: 1 spans rejected: stand-in dashboard: span without a name"), rig.Bridge.Output);
        Assert.True(await rig.Bridge.SaysAsync("took a request of logs but rejected part of it: 2 log records rejected: stand-in agent: log too old"), rig.Bridge.Output);
        // Two such requests, one line.
        Assert.Single(rig.Bridge.Output.Split('\n'), line => line.Contains("1 spans rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DashboardCopyCarriesDatadogNames()
    {
        await using var rig = await BridgeRig.StartAsync();
        var resource = Otlp.Resource("notes", ("deployment.environment.name", "tutorial"), ("service.version", "1.2.3"));
        var request = Otlp.Trace(
            resource,
            Otlp.Span("POST /notes", SpanKind.Server, ("http.request.method", "POST"), ("http.route", "/notes")),
            Otlp.Span("postgres", SpanKind.Client, ("db.system.name", "postgresql"), ("db.query.text", "INSERT INTO notes (description) VALUES ($1)")),
            Otlp.Span("validate note", SpanKind.Internal),
            Otlp.Span("no kind", SpanKind.Unspecified));

        await new TraceService.TraceServiceClient(rig.Bridge.Grpc).ExportAsync(request);

        Assert.True(await Eventually.IsTrue(() => rig.Dashboard.Spans.Count() == 4), rig.Bridge.Output);
        var spans = rig.Dashboard.Spans.ToDictionary(s => s.Name);
        Assert.Equal(
            ("http.server.request", "POST /notes", "web", "notes", "tutorial", "1.2.3"),
            Names(spans["POST /notes"]));
        Assert.Equal(
            ("postgresql.query", "INSERT INTO notes (description) VALUES ($1)", "sql", "notes", "tutorial", "1.2.3"),
            Names(spans["postgres"]));
        Assert.Equal(("Internal", "validate note", "custom", "notes", "tutorial", "1.2.3"), Names(spans["validate note"]));
        Assert.Equal("Internal", Otlp.Find(spans["no kind"], "datadog.operation_name"));
    }

    [Fact]
    public async Task AgentCopyIsUntouched()
    {
        await using var rig = await BridgeRig.StartAsync();
        var request = Otlp.Trace(Otlp.Span("POST /notes", SpanKind.Server, ("http.request.method", "POST"), ("http.route", "/notes")));

        // A field our protos do not know (number 99, varint 1), as a newer sender might add: it must go on too.
        byte[] posted = [.. request.ToByteArray(), 0x98, 0x06, 0x01];
        (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(posted))).EnsureSuccessStatusCode();
        var overGrpc = Otlp.Trace(Otlp.Span("over grpc", SpanKind.Internal));
        await new TraceService.TraceServiceClient(rig.Bridge.Grpc).ExportAsync(overGrpc);

        Assert.True(await Eventually.IsTrue(() => rig.Agent.Accepted.Count == 2 && rig.Dashboard.Traces.Count == 2), rig.Bridge.Output);
        var bodies = rig.Agent.Accepted.Select(a => a.Body).ToList();
        Assert.Contains(bodies, body => body.AsSpan().SequenceEqual(posted));
        Assert.Contains(bodies, body => body.AsSpan().SequenceEqual(overGrpc.ToByteArray()));
        Assert.DoesNotContain(rig.Agent.Spans.SelectMany(s => s.Attributes), a => a.Key.StartsWith("datadog.", StringComparison.Ordinal));

        // The dashboard's copy keeps the unknown field as well, beside the names it gained.
        var named = rig.Dashboard.Traces.Single(t => t.ResourceSpans[0].ScopeSpans[0].Spans[0].Name == "POST /notes");
        Assert.EndsWith(Convert.ToHexString([0x98, 0x06, 0x01]), Convert.ToHexString(named.ToByteArray()));
    }

    [Fact]
    public async Task AnExportArrivesByteForByteWhateverItsSizeAndFraming()
    {
        await using var rig = await BridgeRig.StartAsync();
        var small = Otlp.Trace(Otlp.Span("small", SpanKind.Internal)).ToByteArray();
        // Past the 256 KiB a body's buffer takes before its bytes arrive: the buffer grows as the body comes.
        var large = Otlp.Trace(Enumerable.Range(0, 1_500).Select(i => Otlp.Span($"span {i}", SpanKind.Internal, ("payload", new string('x', 300)))).ToArray()).ToByteArray();

        HttpContent[] posts =
        [
            Otlp.Protobuf(small), Otlp.Protobuf(large), new Chunked(small, 7), new Chunked(large, 64 * 1024),
            Otlp.Gzip(large), new Chunked(Otlp.GzipBytes(large), 4 * 1024) { Headers = { ContentEncoding = { "gzip" } } },
        ];
        foreach (var post in posts)
        {
            (await rig.Bridge.Http.PostAsync("v1/traces", post)).EnsureSuccessStatusCode();
        }

        Assert.True(await Eventually.IsTrue(() => rig.Agent.Accepted.Count == posts.Length && rig.Dashboard.Traces.Count == posts.Length), rig.Bridge.Output);
        byte[][] expected = [small, large, small, large, large, large];
        var received = rig.Agent.Accepted.Select(a => a.Body).ToList();
        Assert.All(expected.Zip(received), pair => Assert.True(pair.First.AsSpan().SequenceEqual(pair.Second), $"{pair.First.Length} bytes sent, {pair.Second.Length} received"));
    }

    /// <summary>
    /// A body without a Content-Length, sent in chunks as a sender that streams its export writes them, each a moment
    /// after the last, so that the bridge has read some of the body before the rest arrives.
    /// </summary>
    private sealed class Chunked : HttpContent
    {
        private readonly byte[] _body;
        private readonly int _chunkBytes;

        public Chunked(byte[] body, int chunkBytes)
        {
            (_body, _chunkBytes) = (body, chunkBytes);
            Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < _body.Length; at += _chunkBytes)
            {
                await stream.WriteAsync(_body.AsMemory(at, Math.Min(_chunkBytes, _body.Length - at)));
                await stream.FlushAsync();
                await Task.Delay(20);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task SlowAgentDoesNotDelayDashboard()
    {
        await using var rig = await BridgeRig.StartAsync();
        var release = new TaskCompletionSource();
        rig.Agent.Gate = release.Task;
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);

        for (var i = 0; i < 20; i++)
        {
            await client.ExportAsync(Otlp.Trace(Otlp.Span($"request {i}", SpanKind.Internal)));
        }

        // The dashboard has them all while the agent has answered none: each waits in the agent's own queue.
        Assert.True(await Eventually.IsTrue(() => rig.Dashboard.Traces.Count == 20), rig.Bridge.Output);
        Assert.Empty(rig.Agent.Accepted);
        Assert.Equal(20, (await rig.Bridge.StatsAsync("datadog")).Queued);

        release.SetResult();
        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("datadog") is { Sent: 20, Queued: 0 }), rig.Bridge.Output);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"request {i}"), rig.Agent.Spans.Select(s => s.Name));
    }

    [Fact]
    public async Task StoppingSendsWhatIsQueuedAndExitsCleanly()
    {
        await using var rig = await BridgeRig.StartAsync(new Dictionary<string, string> { ["Bridge__FlushTimeout"] = "00:00:10" });
        var release = new TaskCompletionSource();
        rig.Agent.Gate = release.Task;
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);
        for (var i = 0; i < 5; i++)
        {
            await client.ExportAsync(Otlp.Trace(Otlp.Span($"request {i}", SpanKind.Internal)));
        }

        // Stopped with all five still queued for the agent, which answers only once the bridge is shutting down.
        var stopping = rig.Bridge.StopAsync();
        Assert.True(await rig.Bridge.SaysAsync("Application is shutting down"), rig.Bridge.Output);
        release.SetResult();
        Assert.Equal(0, await stopping);
        Assert.Equal(5, rig.Agent.Accepted.Count);
        Assert.Equal(5, rig.Dashboard.Traces.Count);
        Assert.DoesNotContain("Unhandled exception", rig.Bridge.Output, StringComparison.Ordinal);
    }

    private static (string?, string?, string?, string?, string?, string?) Names(Span span) => (
        Otlp.Find(span, "datadog.operation_name"),
        Otlp.Find(span, "datadog.resource"),
        Otlp.Find(span, "datadog.span_type"),
        Otlp.Find(span, "datadog.service"),
        Otlp.Find(span, "datadog.env"),
        Otlp.Find(span, "datadog.version"));
}
