using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nerdbank.MessagePack;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>
/// A real receiver of the Datadog agent's trace API in the test process, as the tutorial's agent is configured (APM on,
/// no OTLP receiver): <c>GET /info</c> lists its endpoints, <c>PUT</c>/<c>POST /v0.4/traces</c> takes MessagePack,
/// decoded here with Nerdbank.MessagePack's reader, field by field and type by type.
/// </summary>
public sealed class StandInTraceAgent : IAsyncDisposable
{
    /// <summary>What a current agent's /info lists (it never lists OTLP: that receiver is another port).</summary>
    public static readonly string[] Endpoints =
        ["/v0.3/traces", "/v0.4/traces", "/v0.5/traces", "/v0.7/traces", "/profiling/v1/input", "/telemetry/proxy/", "/v0.6/stats", "/v0.1/pipeline_stats", "/evp_proxy/v4/", "/debugger/v1/input", "/info", "/config/set"];

    private readonly WebApplication _app;
    private int _attempts;

    private StandInTraceAgent(WebApplication app, int port)
    {
        _app = app;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>Payloads it accepted, decoded.</summary>
    public ConcurrentQueue<TraceApiRequest> Accepted { get; } = new();

    /// <summary>Every request to /v0.4/traces, whatever it answered.</summary>
    public int Attempts => _attempts;

    /// <summary>The status it answers payloads with; 400 comes with a body like the agent's own.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    /// <summary>
    /// The largest payload it takes, which /info says (<c>config.max_request_bytes</c>), by default the agent's 25 MiB.
    /// A larger one is answered 413 and its connection closed before the body is read, as the agent does: to .NET's
    /// client, still writing the body, that is a broken connection.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 25 * 1024 * 1024;

    public IEnumerable<TraceApiSpan> Spans => Accepted.SelectMany(request => request.Traces).SelectMany(trace => trace);

    public static async Task<StandInTraceAgent> StartAsync()
    {
        var port = FreePorts.One();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var agent = new StandInTraceAgent(builder.Build(), port);
        agent._app.MapGet("/info", () => Results.Json(new
        {
            version = "7.99.0-standin",
            endpoints = Endpoints,
            client_drop_p0s = true,
            config = new { max_request_bytes = agent.MaxRequestBytes },
        }));
        agent._app.MapMethods("/v0.4/traces", ["PUT", "POST"], agent.ReceiveAsync);
        await agent._app.StartAsync();
        return agent;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _attempts);
        if (request.ContentLength > MaxRequestBytes)
        {
            request.HttpContext.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await request.HttpContext.Response.StartAsync();
            request.HttpContext.Abort();
            return Results.Empty;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        if (Status != StatusCodes.Status200OK)
        {
            return Results.Text("stand-in trace agent: cannot decode v0.4 traces payload: msgp: attempted to decode type \"int\" with method for \"str\"", statusCode: Status);
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Accepted.Enqueue(new TraceApiRequest(request.Method, headers, Decode(body.ToArray())));
        return Results.Json(new { rate_by_service = new Dictionary<string, double> { ["service:,env:"] = 1 } });
    }

    /// <summary>The v0.4 payload: an array of traces, each an array of span maps.</summary>
    public static IReadOnlyList<IReadOnlyList<TraceApiSpan>> Decode(byte[] body)
    {
        var reader = new MessagePackReader(body);
        var traces = new List<IReadOnlyList<TraceApiSpan>>();
        var traceCount = reader.ReadArrayHeader();
        for (var t = 0; t < traceCount; t++)
        {
            var spans = new List<TraceApiSpan>();
            var spanCount = reader.ReadArrayHeader();
            for (var s = 0; s < spanCount; s++)
            {
                spans.Add(DecodeSpan(ref reader));
            }

            traces.Add(spans);
        }

        Assert.True(reader.End, "bytes left after the payload");
        return traces;
    }

    private static TraceApiSpan DecodeSpan(ref MessagePackReader reader)
    {
        var span = new TraceApiSpan();
        var fields = reader.ReadMapHeader();
        for (var f = 0; f < fields; f++)
        {
            var key = reader.ReadString()!;
            span.Types[key] = reader.NextMessagePackType;
            switch (key)
            {
                case "service" or "name" or "resource" or "type":
                    span.Strings[key] = reader.ReadString()!;
                    break;
                case "trace_id" or "span_id" or "parent_id":
                    span.Ids[key] = reader.ReadUInt64();
                    break;
                case "start" or "duration":
                    span.Times[key] = reader.ReadInt64();
                    break;
                case "error":
                    span.Error = reader.ReadInt32();
                    break;
                case "meta":
                    var meta = reader.ReadMapHeader();
                    for (var i = 0; i < meta; i++)
                    {
                        var metaKey = reader.ReadString()!;
                        Assert.Equal(MessagePackType.String, reader.NextMessagePackType);
                        span.Meta[metaKey] = reader.ReadString()!;
                    }

                    break;
                case "metrics":
                    var metrics = reader.ReadMapHeader();
                    for (var i = 0; i < metrics; i++)
                    {
                        var metricKey = reader.ReadString()!;
                        span.MetricTypes[metricKey] = reader.NextMessagePackType;
                        span.Metrics[metricKey] = reader.ReadDouble();
                    }

                    break;
                default:
                    throw new InvalidDataException($"A span field the trace API does not have: {key}");
            }
        }

        return span;
    }
}

public sealed record TraceApiRequest(string Method, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<IReadOnlyList<TraceApiSpan>> Traces);

/// <summary>One decoded span, with the MessagePack type each field came as.</summary>
public sealed class TraceApiSpan
{
    public Dictionary<string, MessagePackType> Types { get; } = [];

    public Dictionary<string, string> Strings { get; } = [];

    public Dictionary<string, ulong> Ids { get; } = [];

    public Dictionary<string, long> Times { get; } = [];

    public int Error { get; set; }

    public Dictionary<string, string> Meta { get; } = [];

    public Dictionary<string, double> Metrics { get; } = [];

    public Dictionary<string, MessagePackType> MetricTypes { get; } = [];

    public string Service => Strings["service"];

    public string Name => Strings["name"];

    public string Resource => Strings["resource"];

    public string Type => Strings["type"];

    public ulong TraceId => Ids["trace_id"];

    public ulong SpanId => Ids["span_id"];

    public ulong ParentId => Ids["parent_id"];

    public long Start => Times["start"];

    public long Duration => Times["duration"];

    public override string ToString() => $"{Service} {Name} {Resource} {Type}";
}
