using System.Net;
using System.Net.Http.Headers;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.TraceApi;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>
/// The Datadog agent when its trace API is given (<c>DATADOG_TRACE_AGENT_URL</c>), over whichever of its two receivers
/// applies: its OTLP/HTTP receiver (traces, logs, metrics), when <c>DATADOG_OTLP_ENDPOINT</c> is given too, or its trace
/// API (traces only; what the tutorial's agent configuration turns on). With the OTLP endpoint alone,
/// <see cref="Destinations"/> sends there directly. With <see cref="DatadogProtocol.Auto"/> the choice is made once, at
/// start and before the first request, by asking the agent: until one of them answers, requests wait in the queue and
/// are retried as in any outage. However the trace API is chosen, its <c>GET /info</c> is read first, for the largest
/// payload the agent takes (<see cref="AgentInfo"/>). The console says what was chosen and why.
/// </summary>
public sealed class AgentSender : IOtlpSender
{
    private readonly Uri? _otlpEndpoint;
    private readonly Uri _traceAgent;
    private readonly DatadogProtocol _protocol;
    private readonly TimeSpan _timeout;
    private readonly int _maxBuiltBytes;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _choosing = new(1, 1);
    private IOtlpSender? _chosen;

    /// <summary>Busy answers of the OTLP receiver before the trace API is asked all the same (about 8 s of backoff).</summary>
    private const int MaxBusyAnswers = 5;
    private int _busyAnswers;

    public AgentSender(Uri? otlpEndpoint, Uri traceAgent, DatadogProtocol protocol, TimeSpan timeout, int maxBuiltBytes, ILogger logger)
    {
        _maxBuiltBytes = maxBuiltBytes;
        _otlpEndpoint = otlpEndpoint;
        _traceAgent = traceAgent;
        _protocol = protocol;
        _timeout = timeout;
        _logger = logger;
    }

    public string Target => _chosen?.Target ?? string.Join(" or ", new[] { _otlpEndpoint, _traceAgent }.OfType<Uri>().Select(uri => uri.Shown()));

    /// <summary>Known once a receiver is chosen; until then any request may be carried.</summary>
    public string? WhyNotCarried(OtlpSignal signal) => _chosen?.WhyNotCarried(signal);

    public async Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken)
    {
        if (_chosen is null && await ChooseAsync(cancellationToken) is { } why)
        {
            return SendResult.Retry(why);
        }

        return await _chosen!.SendAsync(export, cancellationToken);
    }

    /// <returns>Null once a receiver is chosen; else why none could be.</returns>
    public async Task<string?> ChooseAsync(CancellationToken cancellationToken)
    {
        await _choosing.WaitAsync(cancellationToken);
        try
        {
            if (_chosen is not null)
            {
                return null;
            }

            var (sender, why) = await ProbeAsync(cancellationToken);
            if (sender is null)
            {
                return why;
            }

            _chosen = sender;
            if (sender is TraceApiSender traceApi)
            {
                _logger.LogWarning(
                    "Datadog: sending traces to the agent's trace API {Target} ({Why}), in payloads of up to {MaxPayloadBytes} bytes, the agent's limit. That port takes traces only: logs and metrics are not sent to Datadog on this path (they need the agent's OTLP receiver, otlp_config in datadog.yaml, or its log collection). See docs/datadog.md.",
                    sender.Target, why, traceApi.AgentMaxPayloadBytes);
            }
            else
            {
                _logger.LogInformation("Datadog: sending traces, logs and metrics to the agent's OTLP/HTTP receiver {Target} ({Why}).", sender.Target, why);
            }

            return null;
        }
        finally
        {
            _choosing.Release();
        }
    }

    public void Dispose()
    {
        // The semaphore stays: a probe still running at stop releases it.
        _chosen?.Dispose();
    }

    private async Task<(IOtlpSender? Sender, string Why)> ProbeAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _timeout }) { Timeout = _timeout };

        // DATADOG_PROTOCOL chooses only between two receivers given: with the trace API's alone, that one.
        if (_otlpEndpoint is null || _protocol == DatadogProtocol.TraceApi)
        {
            return await TraceApiAsync(http, _otlpEndpoint is null ? "DATADOG_TRACE_AGENT_URL" : "DATADOG_PROTOCOL=traceapi", cancellationToken);
        }

        if (_protocol == DatadogProtocol.Otlp)
        {
            return (Otlp(), "DATADOG_PROTOCOL=otlp");
        }

        var (receiver, otlp) = await ProbeOtlpAsync(http, cancellationToken);
        if (receiver == OtlpReceiver.Answers)
        {
            return (Otlp(), $"DATADOG_PROTOCOL=auto: its OTLP/HTTP receiver {_otlpEndpoint.Shown()} answers");
        }

        if (receiver == OtlpReceiver.Busy && ++_busyAnswers < MaxBusyAnswers)
        {
            // A receiver that says it is busy: choosing the trace API now would hold for the whole run. Not for ever,
            // though: a proxy in front of a stopped agent may say so every time.
            return (null, $"its OTLP/HTTP receiver {_otlpEndpoint.Shown()} is busy ({otlp}); asking again");
        }

        var info = await AgentInfo.AskAsync(http, _traceAgent, cancellationToken);
        return info.ListsTraceApi
            ? (TraceApi(info), $"DATADOG_PROTOCOL=auto: no OTLP/HTTP receiver at {_otlpEndpoint.Shown()} ({otlp}); {info.Said}")
            : (null, $"the agent answers on neither receiver: OTLP/HTTP {_otlpEndpoint.Shown()}: {otlp}; trace API {_traceAgent.Shown()}: {info.Said}");
    }

    /// <summary>
    /// The trace API, chosen by the settings: taken whatever /info lists, once the agent answers at all, since /info is
    /// also where its limit on a payload is read. An agent that does not answer would not take a payload either.
    /// </summary>
    private async Task<(IOtlpSender? Sender, string Why)> TraceApiAsync(HttpClient http, string why, CancellationToken cancellationToken)
    {
        var info = await AgentInfo.AskAsync(http, _traceAgent, cancellationToken);
        return info.Answered ? (TraceApi(info), why) : (null, $"{why}: the agent does not answer ({info.Said})");
    }

    private TraceApiSender TraceApi(AgentInfo info) => new(_traceAgent, _timeout, _maxBuiltBytes, info.MaxPayloadBytes);

    private OtlpHttpSender Otlp() => new(_otlpEndpoint!, [], _timeout);

    private enum OtlpReceiver { Answers, None, Busy }

    /// <summary>
    /// Whether an OTLP/HTTP receiver takes an empty trace export, and what happened. Busy when it says so (429, 503) and
    /// will be asked again; anything else it answers, or no answer at all, is None, and the trace API is asked.
    /// </summary>
    private async Task<(OtlpReceiver Receiver, string What)> ProbeOtlpAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent([]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync(new Uri(_otlpEndpoint!.AsBase(), OtlpPaths.Traces), content, cancellationToken);
            var answered = $"it answered {(int)response.StatusCode} {response.ReasonPhrase}";
            return response.IsSuccessStatusCode ? (OtlpReceiver.Answers, answered)
                : response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? (OtlpReceiver.Busy, answered)
                : (OtlpReceiver.None, answered);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (OtlpReceiver.None, HttpAnswers.Unanswered(http, exception));
        }
    }
}
