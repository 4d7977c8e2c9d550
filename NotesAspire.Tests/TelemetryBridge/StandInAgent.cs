using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>
/// A real OTLP/HTTP receiver in the test process, standing in for the Datadog agent. It can be stopped (connection
/// refused) and started again on the same port, told to answer with an error status, or to hold requests unanswered.
/// </summary>
public sealed class StandInAgent : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The port while stopped: held, so that no other test is given it as a free port during the outage.</summary>
    private ClosedPort? _held;

    private StandInAgent(int port) => Address = new Uri($"http://127.0.0.1:{port}");

    public Uri Address { get; }

    /// <summary>Bodies it accepted (answered 2xx), by path, exactly as they came.</summary>
    public ConcurrentQueue<(string Path, byte[] Body)> Accepted { get; } = new();

    /// <summary>Every request that reached it, whatever it answered.</summary>
    public int Attempts => _attempts;

    /// <summary>When each request reached it (<see cref="Stopwatch.GetTimestamp"/>), in order.</summary>
    public ConcurrentQueue<long> AttemptTimestamps { get; } = new();

    /// <summary>The wait its error answers ask for in a Retry-After header, if any.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Whether that header is an HTTP date (that many seconds after the answer) rather than seconds.</summary>
    public bool RetryAfterAsDate { get; set; }

    /// <summary>The status it answers with; anything but 200 means the body is not kept.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    /// <summary>Bodies longer than this get 413, as a receiver with a size limit answers.</summary>
    public int? MaxBodyBytes { get; set; }

    /// <summary>Every request waits for this before it is answered or accepted: a slow agent, without a clock.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    /// <summary>The body of its 200 answers: none, or an export's answer (a partial success).</summary>
    public byte[] Answer { get; set; } = [];

    public IEnumerable<ExportTraceServiceRequest> Traces =>
        Accepted.Where(a => a.Path == "/v1/traces").Select(a => ExportTraceServiceRequest.Parser.ParseFrom(a.Body));

    public IEnumerable<Span> Spans => Traces.SelectMany(Otlp.SpansOf);

    public IEnumerable<ExportMetricsServiceRequest> Metrics =>
        Accepted.Where(a => a.Path == "/v1/metrics").Select(a => ExportMetricsServiceRequest.Parser.ParseFrom(a.Body));

    private int _attempts;

    public static async Task<StandInAgent> StartAsync()
    {
        var agent = new StandInAgent(FreePorts.One());
        await agent.StartAgainAsync();
        return agent;
    }

    public async Task StartAgainAsync()
    {
        _held?.Dispose();
        _held = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Address.Port));
        var app = builder.Build();
        app.MapPost("/v1/{signal}", ReceiveAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops listening: the bridge's connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
            _held = new ClosedPort(Address.Port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _held?.Dispose();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        // What it answers is settled as the request arrives: a test may change it as soon as it sees the attempt.
        var (status, retryAfter, asDate) = (Status, RetryAfterSeconds, RetryAfterAsDate);
        AttemptTimestamps.Enqueue(Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _attempts);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        await Gate.WaitAsync(request.HttpContext.RequestAborted);

        if (body.Length > MaxBodyBytes)
        {
            return Results.Text($"stand-in agent takes at most {MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (status != StatusCodes.Status200OK)
        {
            if (retryAfter is { } seconds)
            {
                request.HttpContext.Response.Headers.RetryAfter = asDate
                    ? (DateTimeOffset.UtcNow + TimeSpan.FromSeconds(seconds)).ToString("R", CultureInfo.InvariantCulture)
                    : seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Results.Text($"stand-in agent says {status}: unknown field in request", statusCode: status);
        }

        Accepted.Enqueue((request.Path.Value!, body.ToArray()));
        return Results.Bytes(Answer, "application/x-protobuf");
    }
}
