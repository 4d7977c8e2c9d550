using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using NotesAspire.Dashboard.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace NotesAspire.Tests.Dashboard;

public sealed class OtlpMetricIngestTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task MetricsSentWithTheExporterAreListedByServiceAndName(OtlpExportProtocol protocol)
    {
        var service = $"metrics-{protocol}-{Guid.NewGuid():N}";
        using var meter = new Meter(service);
        using (var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddMeter(meter.Name)
            .AddOtlpExporter(otlp =>
            {
                otlp.Protocol = protocol;
                otlp.Endpoint = protocol == OtlpExportProtocol.Grpc ? dashboard.Server.OtlpGrpcUrl : new Uri(dashboard.Server.OtlpHttpUrl, "/v1/metrics");
            })
            .Build())
        {
            meter.CreateCounter<long>("notes.created", unit: "{note}").Add(3);
            Assert.True(metrics.ForceFlush());
        }

        var listed = await dashboard.Api.Http.GetFromJsonAsync<List<MetricSummary>>($"/api/metrics?service={service}", DashboardApiClient.Json);

        var metric = Assert.Single(listed!);
        Assert.Equal(("notes.created", "{note}", "sum"), (metric.Name, metric.Unit, metric.Type));
        Assert.True(metric.DataPoints >= 1);
    }
}
