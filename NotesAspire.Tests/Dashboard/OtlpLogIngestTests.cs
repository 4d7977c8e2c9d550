using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;

namespace NotesAspire.Tests.Dashboard;

public sealed class OtlpLogIngestTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task LogRecordWrittenInsideASpanIsListedWithItsTraceId(OtlpExportProtocol protocol)
    {
        var service = $"logs-{protocol}-{Guid.NewGuid():N}";
        var endpoint = protocol == OtlpExportProtocol.Grpc ? dashboard.Server.OtlpGrpcUrl : dashboard.Server.OtlpHttpUrl;
        string traceId;
        using (var loggerFactory = OtlpSenders.Logging(service, endpoint, protocol))
        using (var activity = new Activity("handle request").Start())
        {
            loggerFactory.CreateLogger("Notes.Api").LogWarning("Note {NoteId} has no date", 42);
            traceId = activity.TraceId.ToHexString();
        }

        var byService = await dashboard.Api.GetLogsAsync($"?service={service}");
        var byTrace = await dashboard.Api.GetLogsAsync($"?traceId={traceId}");

        var log = Assert.Single(byService);
        Assert.Equal(log.Sequence, Assert.Single(byTrace).Sequence);
        Assert.Equal(("Note 42 has no date", "Warning", "Notes.Api"), (log.Message, log.Severity, log.Scope));
        Assert.Equal(traceId, log.TraceId);
        Assert.Equal("42", log.Attributes["NoteId"]);
    }
}
