using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Otlp;

/// <summary>
/// Hands on what the receivers accept to another OTLP/HTTP receiver (a Datadog Agent's), from one background task. The
/// receivers only enqueue: a slow or absent agent never slows a sender, it only loses the oldest requests past the queue.
/// </summary>
internal sealed class OtlpForwarder : IAsyncDisposable
{
    public const int QueueCapacity = 2_000;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly Uri? _target;
    private readonly Action<string>? _report;
    private readonly Channel<(string Path, IMessage Message)>? _queue;
    private readonly HttpClient? _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _drain = Task.CompletedTask;
    private DateTime _lastReport = DateTime.MinValue;
    private bool _failing;
    private long _forwarded;
    private long _dropped;
    private long _failed;

    /// <param name="target">The receiver's base URL (the SDKs' OTEL_EXPORTER_OTLP_ENDPOINT for http/protobuf); null forwards nothing.</param>
    /// <param name="report">Told why forwarding fails, at most once a minute, and when it works again.</param>
    public OtlpForwarder(Uri? target, Action<string>? report)
    {
        if (target is null)
        {
            return;
        }

        _target = target.AbsoluteUri.EndsWith('/') ? target : new Uri(target.AbsoluteUri + "/");
        _report = report;
        _queue = Channel.CreateBounded<(string, IMessage)>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _http = new HttpClient { Timeout = RequestTimeout };
        _drain = Task.Run(DrainAsync);
    }

    public ForwardingStats? Stats => _target is null ? null : new ForwardingStats(
        _target.AbsoluteUri, Interlocked.Read(ref _forwarded), Interlocked.Read(ref _dropped), Interlocked.Read(ref _failed));

    /// <param name="path"><c>v1/traces</c>, <c>v1/logs</c> or <c>v1/metrics</c>.</param>
    public void Forward(string path, IMessage message) => _queue?.Writer.TryWrite((path, message));

    public async ValueTask DisposeAsync()
    {
        _queue?.Writer.TryComplete();
        try
        {
            // What is queued at shutdown gets a short chance to go out: the last requests of a run are often the interesting ones.
            await _drain.WaitAsync(FlushTimeout);
        }
        catch (TimeoutException)
        {
        }

        await _stopping.CancelAsync();
        await _drain;
        _http?.Dispose();
        _stopping.Dispose();
    }

    private async Task DrainAsync()
    {
        try
        {
            await foreach (var (path, message) in _queue!.Reader.ReadAllAsync(_stopping.Token))
            {
                await SendAsync(path, message);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(string path, IMessage message)
    {
        try
        {
            using var content = new ByteArrayContent(message.ToByteArray());
            content.Headers.ContentType = Protobuf;
            using var response = await _http!.PostAsync(new Uri(_target!, path), content, _stopping.Token);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _forwarded);
                Succeeded();
                return;
            }

            Failed($"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException exception)
        {
            Failed(exception.Message);
        }
        catch (TaskCanceledException) when (!_stopping.IsCancellationRequested)
        {
            Failed($"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Anything else (a target the handler refuses, say) must cost this request, not end the drain for good.
            Failed(exception.Message);
        }
    }

    // Only the drain task reports, so the report state needs no lock.
    private void Failed(string reason)
    {
        Interlocked.Increment(ref _failed);
        if (DateTime.UtcNow - _lastReport < ReportInterval)
        {
            return;
        }

        _lastReport = DateTime.UtcNow;
        _failing = true;
        _report?.Invoke($"cannot forward telemetry to {_target!.AbsoluteUri}: {reason}. The dashboard still has it (said at most once a minute).");
    }

    /// <summary>An agent that starts after the AppHost (a container pulling its image) fails at first: say when that is over.</summary>
    private void Succeeded()
    {
        if (!_failing)
        {
            return;
        }

        _failing = false;
        _report?.Invoke($"forwarding telemetry to {_target!.AbsoluteUri} again.");
    }
}
