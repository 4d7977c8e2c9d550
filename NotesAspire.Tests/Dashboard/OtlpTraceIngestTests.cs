using System.Diagnostics;
using NotesAspire.Dashboard.Telemetry;
using OpenTelemetry.Exporter;

namespace NotesAspire.Tests.Dashboard;

public sealed class OtlpTraceIngestTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task TraceSentWithTheOpenTelemetryExporterIsListedWithItsSpansAndParents(OtlpExportProtocol protocol)
    {
        var service = $"notes-{protocol}-{Guid.NewGuid():N}";
        var (traceId, rootId, dbId) = SendPostNotesTrace(service, protocol);

        var trace = await dashboard.Api.GetTraceAsync(traceId);

        Assert.NotNull(trace);
        Assert.Equal(2, trace.Summary.SpanCount);
        Assert.Equal(service, trace.Summary.RootService);
        Assert.Equal("POST /notes", trace.Summary.RootResource);
        var root = Assert.Single(trace.Spans, s => s.SpanId == rootId);
        var db = Assert.Single(trace.Spans, s => s.SpanId == dbId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal(rootId, db.ParentSpanId);
        Assert.Equal(SpanKind.Server, root.Kind);
        Assert.Equal("POST", root.Attributes["http.request.method"]);
        Assert.Equal("test", root.ResourceAttributes["deployment.environment.name"]);
        Assert.Equal([root, db], trace.Spans);
    }

    [Fact]
    public async Task TraceCarriesTheNamesDatadogWillGiveEachSpan()
    {
        var service = $"notes-{Guid.NewGuid():N}";
        var (traceId, rootId, dbId) = SendPostNotesTrace(service, OtlpExportProtocol.HttpProtobuf);

        var trace = await dashboard.Api.GetTraceAsync(traceId);

        var root = trace!.Spans.Single(s => s.SpanId == rootId).Datadog;
        Assert.Equal(("http.server.request", "POST /notes", "web"), (root.OperationName, root.Resource, root.SpanType));
        Assert.Equal((service, "test", "1.2.3"), (root.Service, root.Env, root.Version));
        Assert.Equal(Convert.ToUInt64(traceId[16..], 16).ToString(), root.TraceId);
        var db = trace.Spans.Single(s => s.SpanId == dbId).Datadog;
        Assert.Equal(("postgresql.query", "INSERT INTO notes(description) VALUES ($1)", "sql"), (db.OperationName, db.Resource, db.SpanType));
    }

    [Fact]
    public async Task TracesListFiltersByServiceAndByErrors()
    {
        var service = $"filtered-{Guid.NewGuid():N}";
        var (okTraceId, _, _) = SendPostNotesTrace(service, OtlpExportProtocol.Grpc);
        var failedTraceId = SendFailingTrace(service);

        var byService = await dashboard.Api.GetTracesAsync($"?service={service}");
        var errorsOnly = await dashboard.Api.GetTracesAsync($"?service={service}&errorsOnly=true");

        Assert.Equal(new[] { failedTraceId, okTraceId }.Order(), byService.Select(t => t.TraceId).Order());
        var failed = Assert.Single(errorsOnly);
        Assert.Equal(failedTraceId, failed.TraceId);
        Assert.Equal(1, failed.ErrorCount);
    }

    [Fact]
    public async Task ExceptionOfAFailedSpanBecomesDatadogsErrorFields()
    {
        var service = $"failing-{Guid.NewGuid():N}";
        var traceId = SendFailingTrace(service);

        var span = Assert.Single((await dashboard.Api.GetTraceAsync(traceId))!.Spans);

        Assert.Equal(SpanStatusCode.Error, span.Status);
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal("System.InvalidOperationException", exception.Attributes["exception.type"]);
        Assert.True(span.Datadog.Error);
        Assert.Equal(("calendar unreachable", "System.InvalidOperationException"), (span.Datadog.ErrorMessage, span.Datadog.ErrorType));
        Assert.NotNull(span.Datadog.ErrorStack);
    }

    private (string TraceId, string RootId, string DbId) SendPostNotesTrace(string service, OtlpExportProtocol protocol)
    {
        using var source = new ActivitySource(service);
        using var tracing = OtlpSenders.Tracing(service, source.Name, EndpointFor(protocol), protocol);
        string rootId, dbId;
        string traceId;
        using (var root = source.StartActivity("POST /notes", ActivityKind.Server)!)
        {
            root.SetTag("http.request.method", "POST");
            root.SetTag("http.route", "/notes");
            using (var db = source.StartActivity("postgresql", ActivityKind.Client)!)
            {
                db.SetTag("db.system.name", "postgresql");
                db.SetTag("db.query.text", "INSERT INTO notes(description) VALUES ($1)");
                dbId = db.SpanId.ToHexString();
            }

            (traceId, rootId) = (root.TraceId.ToHexString(), root.SpanId.ToHexString());
        }

        return (traceId, rootId, dbId);
    }

    private string SendFailingTrace(string service)
    {
        using var source = new ActivitySource(service);
        using var tracing = OtlpSenders.Tracing(service, source.Name, dashboard.Server.OtlpGrpcUrl, OtlpExportProtocol.Grpc);
        string traceId;
        using (var span = source.StartActivity("GET /calendar", ActivityKind.Client)!)
        {
            try
            {
                throw new InvalidOperationException("calendar unreachable");
            }
            catch (InvalidOperationException e)
            {
                span.AddException(e);
                span.SetStatus(ActivityStatusCode.Error, e.Message);
            }

            traceId = span.TraceId.ToHexString();
        }

        return traceId;
    }

    private Uri EndpointFor(OtlpExportProtocol protocol) =>
        protocol == OtlpExportProtocol.Grpc ? dashboard.Server.OtlpGrpcUrl : dashboard.Server.OtlpHttpUrl;
}
