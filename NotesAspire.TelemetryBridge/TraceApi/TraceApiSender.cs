using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.TelemetryBridge.Sending;

namespace NotesAspire.TelemetryBridge.TraceApi;

/// <summary>
/// The Datadog agent's trace API: each OTLP trace export becomes one <c>PUT {agent}/v0.4/traces</c> in MessagePack,
/// with the headers Datadog's tracers send. The port takes traces only: logs and metrics are not carried.
/// </summary>
public sealed class TraceApiSender : IOtlpSender
{
    public const string TracesPath = "v0.4/traces";

    private static readonly MediaTypeHeaderValue MessagePack = new("application/msgpack");

    /// <summary>What Datadog-Meta-Tracer-Version says: the bridge's own version (it is the tracer of this path).</summary>
    public static readonly string TracerVersion =
        typeof(TraceApiSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    private readonly Uri _traces;
    private readonly HttpClient _http;
    private readonly int _maxBuiltBytes;
    private readonly int _agentMaxPayloadBytes;

    // The last conversion, so a retried request is not converted again; let go once it is answered for good.
    private OtlpExport? _converted;
    private TraceApiPayload.Payload? _payload;

    /// <param name="maxBuiltBytes">The largest payload the bridge builds from one export (past it, the export is rejected).</param>
    /// <param name="agentMaxPayloadBytes">
    /// The largest the agent takes (<see cref="AgentInfo"/>): a larger payload is answered too large here, without being
    /// sent, and goes again in parts. Sent, the agent would close the connection on it, which looks like an outage.
    /// </param>
    public TraceApiSender(Uri agent, TimeSpan timeout, int maxBuiltBytes, int agentMaxPayloadBytes)
    {
        _traces = new Uri(agent.AsBase(), TracesPath);
        _maxBuiltBytes = maxBuiltBytes;
        _agentMaxPayloadBytes = agentMaxPayloadBytes;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = timeout,
        };
    }

    public string Target => _traces.Shown();

    /// <summary>The largest payload the agent takes.</summary>
    public int AgentMaxPayloadBytes => _agentMaxPayloadBytes;

    public string? WhyNotCarried(OtlpSignal signal) => signal == OtlpSignal.Traces ? null : "the agent's trace API takes traces only";

    public async Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken)
    {
        if (WhyNotCarried(export.Signal) is { } why)
        {
            return SendResult.NotCarried(why);
        }

        TraceApiPayload.Payload payload;
        try
        {
            payload = ReferenceEquals(export, _converted) ? _payload! : TraceApiPayload.From(ExportTraceServiceRequest.Parser.ParseFrom(export.Body.Span), _maxBuiltBytes);
        }
        catch (InvalidProtocolBufferException exception)
        {
            return SendResult.Rejected("conversion", $"the export could not be converted: {exception.Message}");
        }
        catch (InvalidDataException exception)
        {
            return SendResult.Rejected("too large", $"the export was not converted: {exception.Message}");
        }

        if (payload.TraceCount == 0)
        {
            return SendResult.Sent;
        }

        if (payload.Body.Length > _agentMaxPayloadBytes)
        {
            return SendResult.TooLarge("413", $"the payload is {payload.Body.Length} bytes, past the agent's limit of {_agentMaxPayloadBytes}");
        }

        (_converted, _payload) = (export, payload);

        using var content = new ByteArrayContent(payload.Body);
        content.Headers.ContentType = MessagePack;
        using var request = new HttpRequestMessage(HttpMethod.Put, _traces) { Content = content };
        request.Headers.Add("Datadog-Meta-Lang", "dotnet");
        request.Headers.Add("Datadog-Meta-Lang-Version", Environment.Version.ToString());
        request.Headers.Add("Datadog-Meta-Lang-Interpreter", ".NET");
        request.Headers.Add("Datadog-Meta-Tracer-Version", TracerVersion);
        request.Headers.Add("X-Datadog-Trace-Count", payload.TraceCount.ToString(CultureInfo.InvariantCulture));
        // The spans carry _top_level / _dd.top_level themselves (by span kind): the agent must not recompute it per payload.
        request.Headers.Add("Datadog-Client-Computed-Top-Level", "yes");
        // An agent too busy to decode a payload drops it; without this it still answers 200, and the traces would be
        // counted sent and lost. With it, it answers 429, which is retried.
        request.Headers.Add("Datadog-Send-Real-Http-Status", "true");

        var result = await HttpAnswers.SendAsync(_http, request, cancellationToken);
        if (result.Outcome != SendOutcome.Retry)
        {
            (_converted, _payload) = (null, null);
        }

        return result;
    }

    public void Dispose() => _http.Dispose();
}
