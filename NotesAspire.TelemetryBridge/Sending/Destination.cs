using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>
/// One destination: its own queue and its own sender loop, so it never slows the receivers (they only enqueue) nor
/// the other destination. A request that fails for a reason that may pass (refused connection, timeout, 503...) stays
/// at the head and is tried again with exponential backoff; one the destination refuses outright is dropped.
/// </summary>
public sealed class Destination : IAsyncDisposable
{
    private readonly IOtlpSender _sender;
    private readonly BridgeTuning _tuning;
    private readonly ILogger _logger;
    private readonly ExportQueue _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _refusalsSaid = [];
    private readonly HashSet<OtlpSignal> _notCarriedSaid = [];
    private readonly HashSet<OtlpSignal> _partlySaid = [];
    private Task _loop = Task.CompletedTask;
    // A request's counts change together (received and queued; its outcome and its leaving the queue), under this lock,
    // so that /api/stats always adds up: received = sent + rejected + dropped + queued + notCarried.
    private readonly Lock _counts = new();
    private long _received;
    private long _sent;
    private long _retried;
    private long _rejected;
    private long _notCarried;
    private long _split;
    private bool _partsSaid;
    private int _dropsSaid;
    private int _disposed;

    // The outage, as seen by the loop alone (no lock needed): when it began, what it cost, and the backlog still to send.
    private DateTime? _failingSince;
    private long _droppedBefore;
    private long _sentLate;
    private int? _backlog;

    public Destination(string name, IOtlpSender sender, BridgeTuning tuning, ILogger logger)
    {
        Name = name;
        _sender = sender;
        _tuning = tuning;
        _logger = logger;
        _queue = new ExportQueue(tuning.QueueCapacity, tuning.QueueMaxBytes);
    }

    public string Name { get; }

    public DestinationStats Stats
    {
        get
        {
            lock (_counts)
            {
                return new(Name, _sender.Target, _received, _sent, Interlocked.Read(ref _retried), _queue.Dropped, _rejected, _queue.Count, _notCarried, _split);
            }
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Called by the receivers: never waits for the destination.</summary>
    public void Enqueue(OtlpExport export)
    {
        string? why;
        var dropped = 0;
        lock (_counts)
        {
            _received++;
            why = _sender.WhyNotCarried(export.Signal);
            if (why is not null)
            {
                _notCarried++;
            }
            else
            {
                dropped = _queue.Enqueue(export);
            }
        }

        if (why is not null)
        {
            SayNotCarried(export.Signal, why);
            return;
        }

        if (dropped > 0 && Interlocked.Exchange(ref _dropsSaid, 1) == 0)
        {
            _logger.LogWarning(
                "The queue for {Destination} is full ({Capacity} requests or {MaxMiB} MiB): dropping the oldest requests. /api/stats counts them.",
                Name, _tuning.QueueCapacity, _tuning.QueueMaxBytes / (1024 * 1024));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops it, then the container disposes it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Complete();
        try
        {
            // What is queued gets a short chance to go out: the last requests of a run are often the interesting ones.
            await _loop.WaitAsync(_tuning.FlushTimeout);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Stopping with {Queued} requests for {Destination} not sent.", Stats.Queued, Name);
        }

        await _stopping.CancelAsync();
        await _loop;
        _sender.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (await _queue.TakeAsync(_stopping.Token) is { } export)
            {
                var parts = new PartsBudget(export.Body.Length);
                var result = await SettleAsync(export, parts);
                lock (_counts)
                {
                    _ = result.Outcome switch
                    {
                        SendOutcome.Sent => ++_sent,
                        SendOutcome.NotCarried => ++_notCarried,
                        _ => ++_rejected,
                    };
                    _split += parts.Split ? 1 : 0;
                    _queue.Settled();
                }

                Report(result, export.Signal);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends <paramref name="export"/> until the destination answers for good. One it refuses as too large goes again in
    /// two halves, each halved again as needed, down to a single span, log record or metric, within
    /// <paramref name="parts"/>: the answer is the first part's that did not pass, else sent (with what a part said it
    /// rejected, if any did).
    /// </summary>
    private async Task<SendResult> SettleAsync(OtlpExport export, PartsBudget parts)
    {
        var result = await SendUntilAnsweredAsync(export);
        if (result.Outcome != SendOutcome.TooLarge)
        {
            return result;
        }

        (byte[] First, byte[] Second)? halves;
        try
        {
            halves = OtlpSplit.Halves(export.Body.Span);
        }
        catch (InvalidDataException exception)
        {
            // Logs and metrics are checked by the generated parsers, which take what this reader does not (groups).
            return SendResult.Rejected(result.Code, $"{result.Answer} (and it could not be split: {exception.Message})");
        }

        if (halves is not var (first, second))
        {
            return SendResult.Rejected(result.Code, $"{result.Answer} (to a request of one {Item(export.Signal)} or none, which cannot be split)");
        }

        if (!parts.Take(first.Length + second.Length))
        {
            return SendResult.Rejected(result.Code, $"{result.Answer} (and its parts, which each repeat its resource and scope, would add up to more than {PartsBudget.Times} times its size)");
        }

        if (!_partsSaid)
        {
            _partsSaid = true;
            _logger.LogInformation(
                "{Destination} ({Target}) refused a request of {Signal} as too large: {Answer}. Such requests are sent again in parts; /api/stats counts them as split.",
                Name, _sender.Target, export.Signal.ToString().ToLowerInvariant(), result.Answer);
        }

        var firstResult = await SettleAsync(export with { Body = first }, parts);
        var secondResult = await SettleAsync(export with { Body = second }, parts);

        // Both taken: what either said it rejected of its part (a partial success), or both.
        return (firstResult, secondResult) switch
        {
            ({ Outcome: not SendOutcome.Sent }, _) => firstResult,
            (_, { Outcome: not SendOutcome.Sent }) or ({ Answer.Length: 0 }, _) => secondResult,
            (_, { Answer.Length: 0 }) => firstResult,
            _ => SendResult.PartlySent($"{firstResult.Answer}; {secondResult.Answer}"),
        };
    }

    private static string Item(OtlpSignal signal) => signal switch
    {
        OtlpSignal.Traces => "span",
        OtlpSignal.Logs => "log record",
        _ => "metric",
    };

    /// <summary>
    /// How many bytes one request's parts may come to. Each part repeats its resource and scope, so a request whose
    /// resource alone is near the limit would otherwise be sent again and again in parts hardly smaller than itself.
    /// </summary>
    private sealed class PartsBudget(int requestBytes)
    {
        public const int Times = 4;

        private long _left = (long)Times * requestBytes;

        /// <summary>Whether the request was sent in parts.</summary>
        public bool Split { get; private set; }

        public bool Take(int bytes)
        {
            if (bytes > _left)
            {
                return false;
            }

            _left -= bytes;
            Split = true;
            return true;
        }
    }

    /// <summary>Sends until the destination answers anything but "try again".</summary>
    private async Task<SendResult> SendUntilAnsweredAsync(OtlpExport export)
    {
        var delay = _tuning.RetryInitialDelay;
        while (true)
        {
            SendResult result;
            try
            {
                result = await _sender.SendAsync(export, _stopping.Token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Anything unforeseen (a handler refusing the target, say) must cost this request, not end the loop.
                result = SendResult.Rejected(exception.GetType().Name, exception.Message);
            }

            if (result.Outcome != SendOutcome.Retry)
            {
                return result;
            }

            Interlocked.Increment(ref _retried);
            Failing(result.Answer);
            await Task.Delay(WaitBeforeAgain(delay, result.After), _stopping.Token);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _tuning.RetryMaxDelay.Ticks));
        }
    }

    /// <summary>The longest wait a destination's own "retry after" gets: a mistaken hour must not stall the queue.</summary>
    public static readonly TimeSpan MaxAskedWait = TimeSpan.FromMinutes(1);

    /// <summary>The backoff, or longer when the destination asked for longer (OTLP says to honour it), up to <see cref="MaxAskedWait"/>.</summary>
    private static TimeSpan WaitBeforeAgain(TimeSpan backoff, TimeSpan? asked) =>
        asked is { } wait && wait > backoff ? (wait < MaxAskedWait ? wait : MaxAskedWait) : backoff;

    /// <summary>Says what the destination answered for good to a request (counted already), the first time it says it.</summary>
    private void Report(SendResult result, OtlpSignal signal)
    {
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                if (result.Answer.Length > 0 && _partlySaid.Add(signal))
                {
                    _logger.LogWarning(
                        "{Destination} ({Target}) took a request of {Signal} but rejected part of it: {What}. Counted as sent, since sending it again would be refused again; said once per signal.",
                        Name, _sender.Target, signal.ToString().ToLowerInvariant(), result.Answer);
                }

                Answered(sent: true);
                return;
            case SendOutcome.NotCarried:
                SayNotCarried(signal, result.Answer);
                Answered(sent: false);
                return;
            default:
                Refused(result, signal);
                Answered(sent: false);
                return;
        }
    }

    /// <summary>Says once per signal that the destination does not carry it (from the receivers too).</summary>
    private void SayNotCarried(OtlpSignal signal, string why)
    {
        bool first;
        lock (_notCarriedSaid)
        {
            first = _notCarriedSaid.Add(signal);
        }

        if (first)
        {
            _logger.LogWarning(
                "{Destination} ({Target}) does not carry {Signal}: {Why}. They are not sent there; /api/stats counts them as notCarried.",
                Name, _sender.Target, signal.ToString().ToLowerInvariant(), why);
        }
    }

    private void Failing(string why)
    {
        if (_failingSince is not null)
        {
            // Failing again while catching up is the same outage: count the backlog afresh when it answers.
            _backlog = null;
            return;
        }

        _failingSince = DateTime.UtcNow;
        _droppedBefore = _queue.Dropped;
        _sentLate = 0;
        _backlog = null;
        _logger.LogWarning(
            "Cannot send telemetry to {Destination} ({Target}): {Why}. Retrying with backoff; requests wait in the queue.",
            Name, _sender.Target, why.TrimEnd('.'));
    }

    /// <summary>The destination answered: once what waited during an outage has gone out, say so, once.</summary>
    private void Answered(bool sent)
    {
        if (_failingSince is null)
        {
            if (_queue.Count == 0)
            {
                Interlocked.Exchange(ref _dropsSaid, 0);
            }

            return;
        }

        if (sent)
        {
            _sentLate++;
        }

        _backlog = _backlog is null ? _queue.Count : _backlog - 1;
        if (_backlog > 0)
        {
            return;
        }

        _logger.LogInformation(
            "Sending telemetry to {Destination} works again after {Seconds:0.#} s: {SentLate} requests sent late, {Dropped} dropped.",
            Name, (DateTime.UtcNow - _failingSince.Value).TotalSeconds, _sentLate, _queue.Dropped - _droppedBefore);
        _failingSince = null;
        Interlocked.Exchange(ref _dropsSaid, 0);
    }

    /// <summary>A refusal is a bug of ours (or a wrong key): say each kind once, with the destination's answer.</summary>
    private void Refused(SendResult result, OtlpSignal signal)
    {
        if (_refusalsSaid.Add(result.Code))
        {
            _logger.LogError(
                "{Destination} ({Target}) refused a request of {Signal}, which is dropped and not retried: {Answer}. Further refusals like it are only counted in /api/stats.",
                Name, _sender.Target, signal.ToString().ToLowerInvariant(), result.Answer);
        }
    }
}
