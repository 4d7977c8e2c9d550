using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;
using static NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types;

namespace NotesAspire.Tests.TelemetryBridge;

/// <remarks>
/// Apart from the thirty-second outage, the outages here last a second or two: the backoff is cut to 250 ms in the
/// tests, so that already means many failed attempts. The queue, not the time, decides what survives.
/// </remarks>
public sealed class OutageTests
{
    [Fact]
    public async Task AgentOutageOfThirtySecondsLosesNothing()
    {
        // The production backoff (up to 5 s between attempts), not the tests' short one: the agent's return must be noticed in time.
        await using var rig = await BridgeRig.StartAsync(new Dictionary<string, string>
        {
            ["Bridge__RetryInitialDelay"] = "00:00:00.250",
            ["Bridge__RetryMaxDelay"] = "00:00:05",
        });
        await rig.Agent.StopAsync();
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);
        var outageEnds = DateTime.UtcNow + TimeSpan.FromSeconds(30);

        // 100 exports spread over the outage, as the services' batches would come; each succeeds, since the receivers only queue.
        for (var i = 0; i < 100; i++)
        {
            await client.ExportAsync(Otlp.Trace(Otlp.Span($"request {i}", SpanKind.Internal)));
            await Task.Delay(300);
        }

        Assert.True(await Eventually.IsTrue(() => rig.Dashboard.Traces.Count == 100), rig.Bridge.Output);
        var duringOutage = await rig.Bridge.StatsAsync("datadog");
        Assert.Equal((0, 100), (duringOutage.Sent, duringOutage.Queued));
        await Task.Delay(outageEnds - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        await rig.Agent.StartAgainAsync();

        // Until the bridge has had every answer: then nothing more is on its way to the agent.
        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("datadog") is { Sent: 100, Queued: 0 }), rig.Bridge.Output);
        // Refused connections never reached the agent, so nothing can arrive twice: each request exactly once, in order.
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"request {i}"), rig.Agent.Spans.Select(s => s.Name));
        var datadog = await rig.Bridge.StatsAsync("datadog");
        Assert.Equal((100, 100, 0, 0, 0), (datadog.Received, datadog.Sent, datadog.Dropped, datadog.Rejected, datadog.Queued));
        Assert.True(await rig.Bridge.SaysAsync("works again"), rig.Bridge.Output);
        Assert.Equal(1, Count(rig.Bridge.Output, "Cannot send telemetry to datadog"));
        Assert.Equal(1, Count(rig.Bridge.Output, "works again"));
        Assert.True(await rig.Bridge.SaysAsync("100 requests sent late, 0 dropped"), rig.Bridge.Output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UserInfoInTheAgentsUrlsIsShownAsStarsWhenSendingFails(bool withTraceApi)
    {
        using var otlp = new ClosedPort();
        using var traceApi = new ClosedPort();
        var settings = withTraceApi ? new Dictionary<string, string> { ["DATADOG_TRACE_AGENT_URL"] = $"http://user:secret@127.0.0.1:{traceApi.Port}" } : null;
        await using var bridge = await BridgeProcess.StartAsync(null, new Uri($"http://user:secret@127.0.0.1:{otlp.Port}"), settings);

        await new TraceService.TraceServiceClient(bridge.Grpc).ExportAsync(Otlp.Trace(Otlp.Span("request", SpanKind.Internal)));

        Assert.True(await bridge.SaysAsync("Cannot send telemetry to datadog"), bridge.Output);
        var target = withTraceApi ? $"http://***@127.0.0.1:{otlp.Port}/ or http://***@127.0.0.1:{traceApi.Port}/" : $"http://***@127.0.0.1:{otlp.Port}/";
        Assert.True(await bridge.SaysAsync($"Cannot send telemetry to datadog ({target}): "), bridge.Output);
        Assert.Equal(target, (await bridge.StatsAsync("datadog")).Target);
        Assert.DoesNotContain("secret", bridge.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentAnswering503LosesNothing()
    {
        await using var rig = await BridgeRig.StartAsync();
        rig.Agent.Status = 503;

        for (var i = 0; i < 50; i++)
        {
            var request = Otlp.Trace(Otlp.Span($"request {i}", SpanKind.Internal));
            (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(request.ToByteArray()))).EnsureSuccessStatusCode();
        }

        Assert.True(await Eventually.IsTrue(() => rig.Agent.Attempts >= 5), rig.Bridge.Output);
        rig.Agent.Status = 200;

        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("datadog") is { Sent: 50, Queued: 0 }), rig.Bridge.Output);
        // A 503 means the agent kept nothing, so the retried request is no duplicate.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"request {i}"), rig.Agent.Spans.Select(s => s.Name));
        Assert.True(await rig.Bridge.SaysAsync("it answered 503"), rig.Bridge.Output);
        Assert.Equal(0, (await rig.Bridge.StatsAsync("datadog")).Rejected);
    }

    /// <remarks>The tests' backoff is 50-250 ms: a retry seconds later is the agent's asking, not the backoff.</remarks>
    [Theory]
    [InlineData(false, 429)]
    [InlineData(true, 503)]
    public async Task AgentAskingToRetryAfterSecondsIsLeftAloneThatLong(bool asDate, int status)
    {
        await using var rig = await BridgeRig.StartAsync();
        rig.Agent.Status = status;
        // An HTTP date has whole seconds: four after the answer is three at least.
        (rig.Agent.RetryAfterSeconds, rig.Agent.RetryAfterAsDate) = (asDate ? 4 : 3, asDate);

        (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Span("request", SpanKind.Internal)).ToByteArray()))).EnsureSuccessStatusCode();
        Assert.True(await Eventually.IsTrue(() => rig.Agent.Attempts >= 1), rig.Bridge.Output);
        rig.Agent.Status = 200;

        await AssertSentOnSecondAttemptAsync(rig, "datadog", rig.Agent.AttemptTimestamps, TimeSpan.FromSeconds(2.5));
        Assert.True(await rig.Bridge.SaysAsync("s before the next attempt"), rig.Bridge.Output);
    }

    [Fact]
    public async Task DashboardAskingToRetryAfterSecondsInItsGrpcStatusIsLeftAloneThatLong()
    {
        await using var rig = await BridgeRig.StartAsync();
        rig.Dashboard.BusyFor = TimeSpan.FromSeconds(3);

        await new TraceService.TraceServiceClient(rig.Bridge.Grpc).ExportAsync(Otlp.Trace(Otlp.Span("request", SpanKind.Internal)));
        Assert.True(await Eventually.IsTrue(() => !rig.Dashboard.TraceAttemptTimestamps.IsEmpty), rig.Bridge.Output);
        rig.Dashboard.BusyFor = null;

        await AssertSentOnSecondAttemptAsync(rig, "dashboard", rig.Dashboard.TraceAttemptTimestamps, TimeSpan.FromSeconds(2.9));
        Assert.True(await rig.Bridge.SaysAsync("it asked for 3 s before the next attempt"), rig.Bridge.Output);
    }

    /// <summary>The one request went through on its second attempt, made at least <paramref name="after"/> after the first.</summary>
    private static async Task AssertSentOnSecondAttemptAsync(BridgeRig rig, string destination, IEnumerable<long> attemptTimestamps, TimeSpan after)
    {
        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync(destination) is { Sent: 1, Queued: 0 }), rig.Bridge.Output);
        var attempts = attemptTimestamps.ToArray();
        Assert.Equal(2, attempts.Length);
        var waited = Stopwatch.GetElapsedTime(attempts[0], attempts[1]);
        Assert.True(waited >= after, $"asked again after {waited}");
    }

    [Fact]
    public async Task RejectedRequestIsNotRetried()
    {
        await using var rig = await BridgeRig.StartAsync();
        rig.Agent.Status = 400;
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);

        for (var i = 0; i < 3; i++)
        {
            await client.ExportAsync(Otlp.Trace(Otlp.Span($"request {i}", SpanKind.Internal)));
        }

        Assert.True(await Eventually.IsTrue(async () => (await rig.Bridge.StatsAsync("datadog")).Rejected == 3), rig.Bridge.Output);
        // A destination sends in order and retries a request before the next: one sent after the refusals, and taken,
        // arrives only once nothing is left to retry ahead of it.
        rig.Agent.Status = 200;
        await client.ExportAsync(Otlp.Trace(Otlp.Span("after the refusals", SpanKind.Internal)));
        Assert.True(await Eventually.IsTrue(async () => (await rig.Bridge.StatsAsync("datadog")).Sent == 1), rig.Bridge.Output);
        var datadog = await rig.Bridge.StatsAsync("datadog");
        Assert.Equal((4, 1, 0, 3, 0), (datadog.Received, datadog.Sent, datadog.Retried, datadog.Rejected, datadog.Queued));
        Assert.Equal(4, rig.Agent.Attempts);
        Assert.Equal(["after the refusals"], rig.Agent.Spans.Select(span => span.Name));
        // Said once, with the agent's own answer.
        Assert.True(await rig.Bridge.SaysAsync("refused a request of traces"), rig.Bridge.Output);
        Assert.Equal(1, Count(rig.Bridge.Output, "refused a request of traces"));
        Assert.True(await rig.Bridge.SaysAsync("stand-in agent says 400: unknown field in request"), rig.Bridge.Output);
        // The dashboard is not affected.
        Assert.True(await Eventually.IsTrue(() => rig.Dashboard.Traces.Count == 4), rig.Bridge.Output);
    }

    [Fact]
    public async Task AnExportTooLargeForTheDashboardArrivesInParts()
    {
        await using var rig = await BridgeRig.StartAsync(dashboardMaxMessageBytes: 2_000);
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);
        var big = Otlp.Trace(Enumerable.Range(0, 50).Select(i => Otlp.Span($"span {i}", SpanKind.Internal)).ToArray());

        await client.ExportAsync(big);
        await client.ExportAsync(Otlp.Trace(Otlp.Span("small", SpanKind.Internal)));

        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("dashboard") is { Sent: 2, Queued: 0 }), rig.Bridge.Output);
        var dashboard = await rig.Bridge.StatsAsync("dashboard");
        Assert.Equal((2, 2, 0, 0, 1), (dashboard.Received, dashboard.Sent, dashboard.Retried, dashboard.Rejected, dashboard.Split));
        Assert.Equal([.. Enumerable.Range(0, 50).Select(i => $"span {i}"), "small"], rig.Dashboard.Spans.Select(span => span.Name));
        Assert.All(rig.Dashboard.Traces, request => Assert.Equal("notes", request.ResourceSpans.Single().Resource.Attributes.Single(a => a.Key == "service.name").Value.StringValue));
        Assert.True(await rig.Bridge.SaysAsync("in parts"), rig.Bridge.Output);
        Assert.Equal(1, Count(rig.Bridge.Output, "in parts"));
    }

    [Fact]
    public async Task WhatTheDashboardRejectsOfTheFirstPartOfASplitExportIsSaid()
    {
        await using var rig = await BridgeRig.StartAsync(dashboardMaxMessageBytes: 2_000);
        var spans = Enumerable.Range(0, 50).Select(i => Otlp.Span($"span {i}", SpanKind.Internal)).ToList();
        spans.Insert(0, Otlp.Span("", SpanKind.Internal));

        await new TraceService.TraceServiceClient(rig.Bridge.Grpc).ExportAsync(Otlp.Trace([.. spans]));

        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("dashboard") is { Sent: 1, Queued: 0 }), rig.Bridge.Output);
        Assert.Equal(1, (await rig.Bridge.StatsAsync("dashboard")).Split);
        Assert.True(await rig.Bridge.SaysAsync("took a request of traces but rejected part of it: 1 spans rejected: stand-in dashboard: span without a name"), rig.Bridge.Output);
    }

    [Fact]
    public async Task ASpanTooLargeOnItsOwnIsRejectedAndTheRestOfItsExportArrives()
    {
        await using var rig = await BridgeRig.StartAsync(dashboardMaxMessageBytes: 2_000);
        rig.Agent.MaxBodyBytes = 2_000;
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);
        var spans = Enumerable.Range(0, 10).Select(i => Otlp.Span($"span {i}", SpanKind.Internal)).ToList();
        spans.Insert(5, Otlp.Span("too large", SpanKind.Internal, ("payload", new string('x', 3_000))));

        await client.ExportAsync(Otlp.Trace([.. spans]));

        foreach (var destination in new[] { "dashboard", "datadog" })
        {
            Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync(destination) is { Rejected: 1, Queued: 0 }), rig.Bridge.Output);
            var stats = await rig.Bridge.StatsAsync(destination);
            Assert.Equal((1, 0, 0, 1, 1), (stats.Received, stats.Sent, stats.Retried, stats.Rejected, stats.Split));
        }

        string[] arrived = [.. Enumerable.Range(0, 10).Select(i => $"span {i}")];
        Assert.Equal(arrived, rig.Dashboard.Spans.Select(span => span.Name));
        Assert.Equal(arrived, rig.Agent.Spans.Select(span => span.Name));
        Assert.True(await Eventually.IsTrue(() => Count(rig.Bridge.Output, "to a request of one span or none, which cannot be split") >= 2), rig.Bridge.Output);
        Assert.Equal(2, Count(rig.Bridge.Output, "to a request of one span or none, which cannot be split"));
    }

    [Fact]
    public async Task ARequestWhoseResourceAloneIsOverTheLimitIsNotSentOverAndOverInParts()
    {
        await using var rig = await BridgeRig.StartAsync(dashboardMaxMessageBytes: 2_000);
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);
        var resource = Otlp.Resource("notes", ("blob", new string('b', 10_000)));

        // Every part repeats the resource, so none can pass: without a bound, 31 parts of 10 KB and more would be tried.
        await client.ExportAsync(Otlp.Trace(resource, [.. Enumerable.Range(0, 16).Select(i => Otlp.Span($"span {i}", SpanKind.Internal))]));

        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("dashboard") is { Rejected: 1, Queued: 0 }), rig.Bridge.Output);
        Assert.True(await rig.Bridge.SaysAsync("would add up to more than 4 times its size"), rig.Bridge.Output);
        Assert.Empty(rig.Dashboard.Spans);
    }

    [Fact]
    public async Task ARequestTooLargeThatCannotBeSplitLeavesTheDestinationSending()
    {
        await using var rig = await BridgeRig.StartAsync(dashboardMaxMessageBytes: 2_000);
        // A group field (wire types 3 and 4, from proto2): the logs' parser skips it, the splitter's reader does not.
        var withGroup = (byte[])[.. Otlp.Log(new string('x', 3_000)).ToByteArray(), 0x9B, 0x06, 0x9C, 0x06];
        ExportLogsServiceRequest.Parser.ParseFrom(withGroup);

        Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/logs", Otlp.Protobuf(withGroup))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/logs", Otlp.Protobuf(Otlp.Log("after").ToByteArray()))).StatusCode);

        Assert.True(await Eventually.IsTrue(() => rig.Dashboard.Logs.Count == 1), rig.Bridge.Output);
        Assert.Equal("after", rig.Dashboard.Logs.Single().ResourceLogs[0].ScopeLogs[0].LogRecords[0].Body.StringValue);
        Assert.True(await rig.Bridge.SaysAsync("could not be split"), rig.Bridge.Output);
        var dashboard = await rig.Bridge.StatsAsync("dashboard");
        Assert.Equal((2, 1, 1, 0), (dashboard.Received, dashboard.Sent, dashboard.Rejected, dashboard.Queued));
    }

    [Fact]
    public async Task QueueIsBoundedAndDropsOldest()
    {
        await using var rig = await BridgeRig.StartAsync(new Dictionary<string, string> { ["Bridge__QueueCapacity"] = "5" });
        await rig.Agent.StopAsync();
        var client = new TraceService.TraceServiceClient(rig.Bridge.Grpc);

        // The first request is taken and retried; the queue behind it holds five.
        await client.ExportAsync(Otlp.Trace(Otlp.Span("request 0", SpanKind.Internal)));
        Assert.True(await Eventually.IsTrue(async () => (await rig.Bridge.StatsAsync("datadog")).Retried >= 1), rig.Bridge.Output);
        for (var i = 1; i < 20; i++)
        {
            await client.ExportAsync(Otlp.Trace(Otlp.Span($"request {i}", SpanKind.Internal)));
        }

        var stopped = await rig.Bridge.StatsAsync("datadog");
        Assert.Equal((20, 14, 6), (stopped.Received, stopped.Dropped, stopped.Queued));
        Assert.True(await rig.Bridge.SaysAsync("The queue for datadog is full"), rig.Bridge.Output);
        Assert.Equal(1, Count(rig.Bridge.Output, "The queue for datadog is full"));
        await rig.Agent.StartAgainAsync();

        Assert.True(await Eventually.IsTrue(async () => await rig.Bridge.StatsAsync("datadog") is { Sent: 6, Queued: 0 }), rig.Bridge.Output);
        Assert.Equal(
            new[] { 0, 15, 16, 17, 18, 19 }.Select(i => $"request {i}"),
            rig.Agent.Spans.Select(s => s.Name));
        Assert.True(await rig.Bridge.SaysAsync("6 requests sent late, 14 dropped"), rig.Bridge.Output);
    }

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;
}
