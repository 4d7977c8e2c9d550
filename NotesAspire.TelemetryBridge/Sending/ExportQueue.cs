using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>
/// A destination's queue, bounded by count and by bytes so a flood cannot take the memory; past either bound the
/// oldest requests go (the newest say more about what is happening now). Many writers (the receivers), one reader, which
/// takes one request at a time and says when it is settled.
/// </summary>
public sealed class ExportQueue(int capacity, long maxBytes)
{
    private readonly Queue<OtlpExport> _items = new();
    private readonly Lock _lock = new();

    // One release per enqueue (and one for Complete): the reader waits once per item, so the count never runs away.
    private readonly SemaphoreSlim _signal = new(0);
    private long _bytes;
    private long _dropped;
    private bool _completed;

    /// <summary>The request taken and not yet <see cref="Settled"/>: still counted, so that taking it changes no count.</summary>
    private int _inHand;

    /// <summary>Requests waiting, and the one taken until it is settled.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count + _inHand;
            }
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <returns>How many old requests were dropped to make room.</returns>
    public int Enqueue(OtlpExport export)
    {
        var dropped = 0;
        lock (_lock)
        {
            if (_completed)
            {
                Interlocked.Increment(ref _dropped);
                return 1;
            }

            _items.Enqueue(export);
            _bytes += export.Body.Length;

            // The newest stays even when it alone is over the byte bound: the receivers already capped its size.
            while (_items.Count > capacity || (_bytes > maxBytes && _items.Count > 1))
            {
                _bytes -= _items.Dequeue().Body.Length;
                dropped++;
            }
        }

        Interlocked.Add(ref _dropped, dropped);
        _signal.Release();
        return dropped;
    }

    /// <summary>The oldest request, once there is one; null when completed and empty.</summary>
    public async Task<OtlpExport?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken);
            lock (_lock)
            {
                if (_items.TryDequeue(out var export))
                {
                    _bytes -= export.Body.Length;
                    _inHand = 1;
                    return export;
                }

                if (_completed)
                {
                    // Leave the signal up for any later call.
                    _signal.Release();
                    return null;
                }
            }

            // The item this release was for was dropped: wait for the next.
        }
    }

    /// <summary>The request last taken has had its answer: it no longer counts.</summary>
    public void Settled()
    {
        lock (_lock)
        {
            _inHand = 0;
        }
    }

    /// <summary>No more requests: what is queued can still be taken.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }

        _signal.Release();
    }
}
