using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NotesAspire.Tests.TelemetryBridge;
using OpenTelemetry.Trace;

namespace NotesAspire.Tests.ServiceDefaults;

public sealed class OtlpExporterTests
{
    [Fact]
    public async Task ExportToAnUnavailableReceiverIsNotRetriedByTheAppsResiliencePolicy()
    {
        await using var receiver = await StandInAgent.StartAsync();
        receiver.Status = StatusCodes.Status503ServiceUnavailable;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address.ToString();
        builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var tracing = host.Services.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource(builder.Environment.ApplicationName);

        source.StartActivity("one span")!.Stop();
        // Shutting down waits for the export in progress (with the handler: its retries too, until shutdown gives up).
        tracing.Dispose();
        Assert.Equal(1, receiver.Attempts);
    }

    [Fact]
    public async Task UnderLoadAnExportCarriesUpTo2048Spans()
    {
        await using var receiver = await StandInAgent.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address.ToString();
        builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // No export on the clock: only a full batch sends before the shutdown flushes the rest.
        builder.Configuration["OTEL_BSP_SCHEDULE_DELAY"] = "600000";
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var tracing = host.Services.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource(builder.Environment.ApplicationName);

        for (var i = 0; i < 2_500; i++)
        {
            source.StartActivity("a span")!.Stop();
        }

        tracing.Dispose();
        Assert.Equal([2_048, 452], receiver.Traces.Select(export => Otlp.SpansOf(export).Count()));
    }
}
