namespace NotesAspire.Dashboard;

/// <summary>Where the dashboard listens and how much telemetry it keeps. Port 0 picks a free port.</summary>
public sealed record DashboardOptions
{
    /// <summary>An IP address, <c>localhost</c> (bound as 127.0.0.1), or <c>*</c> for every interface. Anything but loopback requires a token.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 18888;

    /// <summary>OTLP/gRPC, HTTP/2 without TLS (what the OpenTelemetry SDKs send to an http:// endpoint).</summary>
    public int OtlpGrpcPort { get; init; } = 18889;

    /// <summary>OTLP/HTTP with protobuf bodies: <c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>.</summary>
    public int OtlpHttpPort { get; init; } = 18890;

    public int MaxTraces { get; init; } = 10_000;

    public int MaxLogRecords { get; init; } = 10_000;

    /// <summary>Spans kept per trace; a runaway trace must not eat the memory the trace limit promises.</summary>
    public int MaxSpansPerTrace { get; init; } = 2_000;

    /// <summary>
    /// Spans kept over all traces; past it the oldest traces go. What bounds memory (about 1.5 KiB a span with the
    /// usual attributes) when traces are large: 10,000 traces of 2,000 spans would not fit anywhere.
    /// </summary>
    public int MaxSpans { get; init; } = 200_000;

    /// <summary>Distinct metric names kept over all resources.</summary>
    public int MaxMetrics { get; init; } = 5_000;

    /// <summary>Largest OTLP request accepted, after decompression; larger ones get 413 (gRPC: RESOURCE_EXHAUSTED).</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The token asked for when <see cref="Host"/> is not loopback; null generates one.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Another OTLP/HTTP receiver (e.g. a Datadog Agent's, <c>http://localhost:4318</c>) that gets everything the dashboard
    /// accepts, from a bounded queue: senders never wait for it. Null forwards nothing.
    /// </summary>
    public Uri? ForwardOtlpTo { get; init; }

    /// <summary>
    /// Told why forwarding fails (the receiver is down, refuses the data...), at most once a minute, and when it works
    /// again after that: one sentence each time, for a console.
    /// </summary>
    public Action<string>? ForwardingReport { get; init; }
}
