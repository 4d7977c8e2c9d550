namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>The dashboard and the Datadog agent, each present only when configured; started and stopped with the app.</summary>
public sealed class Destinations : IHostedService, IAsyncDisposable
{
    public Destinations(BridgeOptions options, ILoggerFactory loggers)
    {
        var tuning = options.Tuning;
        var logger = loggers.CreateLogger("NotesAspire.TelemetryBridge.Sending");
        if (options.DashboardEndpoint is { } dashboard)
        {
            IOtlpSender sender = options.DashboardProtocol.Equals("grpc", StringComparison.OrdinalIgnoreCase)
                ? new OtlpGrpcSender(dashboard, options.DashboardHeaders, tuning.RequestTimeout)
                : new OtlpHttpSender(dashboard, options.DashboardHeaders, tuning.RequestTimeout);
            Dashboard = new Destination("dashboard", sender, tuning, logger);
        }

        if (options.DatadogEndpoint is { } datadog)
        {
            Datadog = new Destination("datadog", new OtlpHttpSender(datadog, [], tuning.RequestTimeout), tuning, logger);
        }

        if (Dashboard is null && Datadog is null)
        {
            logger.LogWarning("Neither OTEL_EXPORTER_OTLP_ENDPOINT nor DATADOG_OTLP_ENDPOINT is set: telemetry received goes nowhere.");
        }
    }

    public Destination? Dashboard { get; }

    public Destination? Datadog { get; }

    public IEnumerable<DestinationStats> Stats =>
        new[] { Dashboard, Datadog }.OfType<Destination>().Select(destination => destination.Stats);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Dashboard?.Start();
        Datadog?.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        // Both flush at once: a stuck destination must not eat the other's time.
        await Task.WhenAll(
            (Dashboard?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask(),
            (Datadog?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask());
    }
}
