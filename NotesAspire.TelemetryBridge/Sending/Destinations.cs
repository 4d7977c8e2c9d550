namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>The dashboard and the Datadog agent, each present only when configured; started and stopped with the app.</summary>
public sealed class Destinations : IHostedService, IAsyncDisposable
{
    /// <summary>
    /// The largest request Aspire's dashboard takes, over gRPC and OTLP/HTTP alike. Over gRPC it says so
    /// (<c>ResourceExhausted</c>); over OTLP/HTTP it answers 400, which reads as a refusal of the request itself, so
    /// the bridge splits a bigger one before sending it.
    /// </summary>
    public const int DashboardMaxRequestBytes = 4 * 1024 * 1024;

    public Destinations(BridgeOptions options, ILoggerFactory loggers)
    {
        var tuning = options.Tuning;
        var logger = loggers.CreateLogger("NotesAspire.TelemetryBridge.Sending");
        if (options.DashboardEndpoint is { } dashboard)
        {
            IOtlpSender sender = options.DashboardProtocol.Equals("grpc", StringComparison.OrdinalIgnoreCase)
                ? new OtlpGrpcSender(dashboard, options.DashboardHeaders, tuning.RequestTimeout)
                : new OtlpHttpSender(dashboard, options.DashboardHeaders, tuning.RequestTimeout, DashboardMaxRequestBytes);
            Dashboard = new Destination("dashboard", sender, tuning, logger);
        }

        if (options.DatadogTraceAgentUrl is not null)
        {
            // The agent's trace API, or its OTLP receiver when both are given and it answers (DATADOG_PROTOCOL).
            _agent = new AgentSender(options.DatadogEndpoint, options.DatadogTraceAgentUrl, options.DatadogProtocol, tuning.RequestTimeout, tuning.MaxCopyBytes, logger);
            Datadog = new Destination("datadog", _agent, tuning, logger);
        }
        else if (options.DatadogEndpoint is { } datadog)
        {
            Datadog = new Destination("datadog", new OtlpHttpSender(datadog, [], tuning.RequestTimeout), tuning, logger);
        }

        if (Dashboard is null && Datadog is null)
        {
            logger.LogWarning("None of OTEL_EXPORTER_OTLP_ENDPOINT, DATADOG_OTLP_ENDPOINT or DATADOG_TRACE_AGENT_URL is set: telemetry received goes nowhere.");
        }
    }

    private readonly AgentSender? _agent;
    private readonly CancellationTokenSource _stopping = new();

    public Destination? Dashboard { get; }

    public Destination? Datadog { get; }

    public IEnumerable<DestinationStats> Stats =>
        new[] { Dashboard, Datadog }.OfType<Destination>().Select(destination => destination.Stats);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Dashboard?.Start();
        Datadog?.Start();

        // Choose the agent's receiver now, so the console says which at start; the first request chooses otherwise.
        if (_agent is not null)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await _agent.ChooseAsync(_stopping.Token);
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        // Both flush at once: a stuck destination must not eat the other's time.
        await Task.WhenAll(
            (Dashboard?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask(),
            (Datadog?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask());
    }
}
