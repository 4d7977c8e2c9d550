using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NotesAspire.TelemetryBridge.Sending;

namespace NotesAspire.TelemetryBridge;

/// <summary>
/// Where the bridge listens and where it sends. The top-level names are the environment variables Aspire gives every
/// project resource (OTEL_EXPORTER_OTLP_*) plus ours; the tuning knobs live under <c>Bridge:</c> (<c>Bridge__X</c> in the environment).
/// </summary>
public sealed class BridgeOptions
{
    public int GrpcPort { get; init; } = 4317;
    public int HttpPort { get; init; } = 4318;

    /// <summary><c>localhost</c> (loopback only, the default), <c>any</c> (all interfaces, for containers) or an IP address.</summary>
    public string ListenAddress { get; init; } = "localhost";

    /// <summary>The dashboard's OTLP receiver; null sends nothing there.</summary>
    public Uri? DashboardEndpoint { get; init; }

    /// <summary><c>grpc</c> (what Aspire gives) or <c>http/protobuf</c>.</summary>
    public string DashboardProtocol { get; init; } = "grpc";

    public IReadOnlyList<KeyValuePair<string, string>> DashboardHeaders { get; init; } = [];

    /// <summary>The Datadog agent's OTLP/HTTP receiver, e.g. <c>http://localhost:4318</c>; null sends nothing there.</summary>
    public Uri? DatadogEndpoint { get; init; }

    /// <summary>The Datadog agent's trace API, e.g. <c>http://localhost:8126</c> (as Datadog's tracers' DD_TRACE_AGENT_URL); null for none.</summary>
    public Uri? DatadogTraceAgentUrl { get; init; }

    /// <summary>Which of the agent's receivers to use when both are given: <c>auto</c> (the default), <c>otlp</c> or <c>traceapi</c>.</summary>
    public DatadogProtocol DatadogProtocol { get; init; } = DatadogProtocol.Auto;

    public BridgeTuning Tuning { get; init; } = new();

    /// <summary>The settings from the environment and appsettings.json; a setting that cannot work stops the bridge at start, naming it.</summary>
    public static BridgeOptions From(IConfiguration configuration)
    {
        var problems = new List<string>();
        var options = Read(configuration, problems);
        problems.AddRange(options.Tuning.Problems());
        return problems.Count == 0 ? options : throw new InvalidOperationException(string.Join(" ", problems));
    }

    private static BridgeOptions Read(IConfiguration configuration, List<string> problems) => new()
    {
        GrpcPort = configuration.GetValue("OTLP_GRPC_PORT", 4317),
        HttpPort = configuration.GetValue("OTLP_HTTP_PORT", 4318),
        ListenAddress = configuration["BRIDGE_LISTEN_ADDRESS"] is { Length: > 0 } address ? address : "localhost",
        DashboardEndpoint = UrlOf(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT", problems),
        DashboardProtocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] is { Length: > 0 } protocol ? protocol : "grpc",
        DashboardHeaders = OtlpHeaders.Parse(configuration["OTEL_EXPORTER_OTLP_HEADERS"]),
        DatadogEndpoint = UrlOf(configuration, "DATADOG_OTLP_ENDPOINT", problems),
        DatadogTraceAgentUrl = UrlOf(configuration, "DATADOG_TRACE_AGENT_URL", problems),
        DatadogProtocol = ProtocolOf(configuration["DATADOG_PROTOCOL"]),
        Tuning = configuration.GetSection("Bridge").Get<BridgeTuning>() ?? new(),
    };

    public void Listen(KestrelServerOptions kestrel, int port, HttpProtocols protocols)
    {
        Action<ListenOptions> configure = listen => listen.Protocols = protocols;
        switch (ListenAddress.ToLowerInvariant())
        {
            case "localhost":
                kestrel.ListenLocalhost(port, configure);
                break;
            case "any" or "*" or "+":
                kestrel.ListenAnyIP(port, configure);
                break;
            default:
                kestrel.Listen(IPAddress.Parse(ListenAddress), port, configure);
                break;
        }
    }

    private static DatadogProtocol ProtocolOf(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => DatadogProtocol.Auto,
        "otlp" => DatadogProtocol.Otlp,
        "traceapi" or "trace-api" or "trace_api" => DatadogProtocol.TraceApi,
        _ => throw new InvalidOperationException($"DATADOG_PROTOCOL is '{value}'; it takes auto, otlp or traceapi."),
    };

    /// <summary>
    /// An http(s) URL, or null when the variable is not set. Anything else is a problem, rather than a URL the senders
    /// refuse on every request (<c>localhost:4318</c> parses, with the scheme <c>localhost</c>).
    /// </summary>
    private static Uri? UrlOf(IConfiguration configuration, string name, List<string> problems)
    {
        if (configuration[name]?.Trim() is not { Length: > 0 } value)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0)
        {
            return url;
        }

        // User info or a query may hold a token: such a value is not echoed.
        var shown = value.IndexOfAny(['@', '?', '#']) >= 0 ? "a value with user info or a query (not shown)" : $"'{value}'";
        problems.Add($"{name} is {shown}; it takes an http(s) URL, e.g. http://localhost:4318.");
        return null;
    }
}

/// <summary>Queue bounds, retry backoff and timeouts; the defaults suit the tutorial, tests make them short.</summary>
public sealed class BridgeTuning
{
    /// <summary>Requests each destination's queue holds at most; past it the oldest are dropped.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Bytes (on the wire) each destination's queue holds at most; past it the oldest are dropped.</summary>
    public long QueueMaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The largest export accepted, after gzip; bigger ones get 413 (HTTP) or ResourceExhausted (gRPC).</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most <see cref="MaxRequestBytes"/> takes: an export is held in one array, which .NET caps just short of 2 GiB,
    /// and the SDKs send a few MiB at most.
    /// </summary>
    public const int LargestMaxRequestBytes = 1024 * 1024 * 1024;

    /// <summary>
    /// The largest copy made of one request for a destination (the dashboard's named copy, the trace API's payload):
    /// twice <see cref="MaxRequestBytes"/>. Each span of a copy repeats what its resource says, so a small request of
    /// many spans could otherwise make a copy hundreds of times its size.
    /// </summary>
    public int MaxCopyBytes => (int)Math.Min(2L * MaxRequestBytes, Array.MaxLength);

    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long queued requests get to go out when the bridge stops.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Each setting that cannot work, naming its variable: refused at start, rather than a queue that drops every
    /// request, a receiver that refuses every export, or a failure on the first one.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (QueueCapacity < 1)
        {
            yield return $"Bridge__QueueCapacity is {QueueCapacity}; it takes 1 or more.";
        }

        if (QueueMaxBytes < 1)
        {
            yield return $"Bridge__QueueMaxBytes is {QueueMaxBytes}; it takes 1 or more.";
        }

        if (MaxRequestBytes is < 1 or > LargestMaxRequestBytes)
        {
            yield return $"Bridge__MaxRequestBytes is {MaxRequestBytes}; it takes 1 to {LargestMaxRequestBytes} (1 GiB).";
        }

        string?[] durations =
        [
            Duration(nameof(RetryInitialDelay), RetryInitialDelay, zeroTakes: false),
            Duration(nameof(RetryMaxDelay), RetryMaxDelay, zeroTakes: false),
            Duration(nameof(RequestTimeout), RequestTimeout, zeroTakes: false),
            Duration(nameof(FlushTimeout), FlushTimeout, zeroTakes: true),
        ];
        foreach (var problem in durations.OfType<string>())
        {
            yield return problem;
        }

        if (RetryMaxDelay < RetryInitialDelay)
        {
            yield return $"Bridge__RetryMaxDelay is {RetryMaxDelay}; it takes Bridge__RetryInitialDelay ({RetryInitialDelay}) or more.";
        }

        // A day is past any wait the bridge needs, and well inside what HttpClient and Task.Delay take (24 and 49 days).
        static string? Duration(string name, TimeSpan value, bool zeroTakes) =>
            value < TimeSpan.Zero || (value == TimeSpan.Zero && !zeroTakes) || value > TimeSpan.FromDays(1)
                ? $"Bridge__{name} is {value}; it takes {(zeroTakes ? "zero" : "more than zero")} to a day (1.00:00:00)."
                : null;
    }
}
