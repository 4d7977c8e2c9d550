using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>An export a destination refuses as too large, split down to single items: nothing lost, nothing repeated.</summary>
public sealed class OtlpSplitTests
{
    [Theory]
    [InlineData(1, 1, 7)]
    [InlineData(1, 3, 2)]
    [InlineData(3, 2, 2)]
    public void EverySpanArrivesOnceWithItsOwnResourceAndScope(int resources, int scopes, int spans)
    {
        var export = new ExportTraceServiceRequest();
        for (var r = 0; r < resources; r++)
        {
            var resourceSpans = new ResourceSpans { Resource = Otlp.Resource($"service {r}"), SchemaUrl = $"schema {r}" };
            for (var s = 0; s < scopes; s++)
            {
                var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = $"scope {r}.{s}" } };
                scope.Spans.Add(Enumerable.Range(0, spans).Select(i => Otlp.Span($"span {r}.{s}.{i}", SpanKind.Internal)));
                resourceSpans.ScopeSpans.Add(scope);
            }

            export.ResourceSpans.Add(resourceSpans);
        }

        var parts = SplitToSingles(export.ToByteArray()).Select(ExportTraceServiceRequest.Parser.ParseFrom).ToList();

        Assert.Equal(resources * scopes * spans, parts.Count);
        Assert.Equal(
            export.ResourceSpans.SelectMany(r => r.ScopeSpans.SelectMany(s => s.Spans.Select(span => (r.Resource, r.SchemaUrl, s.Scope, span)))),
            parts.Select(part => part.ResourceSpans.Single()).Select(r => (r.Resource, r.SchemaUrl, r.ScopeSpans.Single().Scope, r.ScopeSpans.Single().Spans.Single())));
    }

    [Fact]
    public void LogsAndMetricsSplitAsTracesDo()
    {
        var logs = Otlp.Log("first");
        logs.ResourceLogs[0].ScopeLogs[0].LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "second" } });
        var metrics = Otlp.Metric("first");
        metrics.ResourceMetrics[0].ScopeMetrics[0].Metrics.Add(new Metric { Name = "second" });

        var logParts = SplitToSingles(logs.ToByteArray()).Select(ExportLogsServiceRequest.Parser.ParseFrom).ToList();
        var metricParts = SplitToSingles(metrics.ToByteArray()).Select(ExportMetricsServiceRequest.Parser.ParseFrom).ToList();

        Assert.Equal(["first", "second"], logParts.Select(part => part.ResourceLogs.Single().ScopeLogs.Single().LogRecords.Single().Body.StringValue));
        Assert.All(logParts, part => Assert.Equal(logs.ResourceLogs[0].Resource, part.ResourceLogs[0].Resource));
        Assert.Equal(["first", "second"], metricParts.Select(part => part.ResourceMetrics.Single().ScopeMetrics.Single().Metrics.Single().Name));
    }

    [Fact]
    public void ASingleSpanCannotBeSplit() =>
        Assert.Null(OtlpSplit.Halves(Otlp.Trace(Otlp.Span("alone", SpanKind.Internal)).ToByteArray()));

    [Fact]
    public void HalvesAreOfAboutTheSameSizeNotTheSameCount()
    {
        var export = Otlp.Trace([Otlp.Span("large", SpanKind.Internal, ("payload", new string('x', 10_000))), .. Enumerable.Range(0, 20).Select(i => Otlp.Span($"small {i}", SpanKind.Internal))]);

        var (first, second) = OtlpSplit.Halves(export.ToByteArray())!.Value;

        Assert.Equal(["large"], ExportTraceServiceRequest.Parser.ParseFrom(first).ResourceSpans[0].ScopeSpans[0].Spans.Select(span => span.Name));
        Assert.Equal(20, ExportTraceServiceRequest.Parser.ParseFrom(second).ResourceSpans[0].ScopeSpans[0].Spans.Count);
    }

    /// <summary>Halves, and halves of halves, in order, until none splits further.</summary>
    private static IEnumerable<byte[]> SplitToSingles(byte[] request) =>
        OtlpSplit.Halves(request) is var (first, second) ? [.. SplitToSingles(first), .. SplitToSingles(second)] : [request];
}
