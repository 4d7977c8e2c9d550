using System.Buffers.Binary;
using System.Globalization;
using NotesAspire.Dashboard.Otlp;
using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Storage;

/// <summary>
/// The telemetry the dashboard holds, in memory and bounded: past <c>maxTraces</c> traces (or <c>maxSpans</c> spans in
/// all) or <c>maxLogRecords</c> log records the oldest go first. Thread-safe. Ingestion does the least it can under the lock (the receivers must keep
/// up with every service at once); the pages' views are built outside it.
/// </summary>
public sealed class TelemetryStore
{
    private readonly int _maxTraces;
    private readonly int _maxSpansPerTrace;
    private readonly int _maxSpans;
    private readonly ResourceRegistry _resources = new();

    private readonly Lock _tracesLock = new();
    private readonly Dictionary<UInt128, TraceEntry> _traces = [];
    private readonly LinkedList<TraceEntry> _tracesByArrival = new();
    private long _spanCount;
    private long _receivedSpans;
    private long _evictedTraces;
    private long _rejectedSpans;

    private readonly Lock _logsLock = new();
    private readonly RingBuffer<StoredLog> _logs;
    private long _logSequence;
    private long _evictedLogs;
    private long _rejectedLogs;

    private readonly MetricCatalog _metrics;

    public TelemetryStore(int maxTraces = 10_000, int maxLogRecords = 10_000, int maxSpansPerTrace = 2_000, int maxSpans = 200_000, int maxMetrics = 5_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTraces, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLogRecords, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSpansPerTrace, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSpans, maxSpansPerTrace);
        _maxTraces = maxTraces;
        _maxSpansPerTrace = maxSpansPerTrace;
        _maxSpans = maxSpans;
        _logs = new RingBuffer<StoredLog>(maxLogRecords);
        _metrics = new MetricCatalog(maxMetrics);
    }

    /// <summary>Stores the spans; returns how many were rejected (bad ids, or their trace is full).</summary>
    public int AddSpans(ExportTraceServiceRequest request)
    {
        var accepted = new List<(UInt128 TraceId, StoredSpan Span)>();
        var rejected = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = _resources.Resolve(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    if (TryReadTraceId(span.TraceId.Span, out var traceId) && IsValidSpanId(span.SpanId.Span))
                    {
                        accepted.Add((traceId, new StoredSpan(span, resource, scope)));
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }

        lock (_tracesLock)
        {
            foreach (var (traceId, span) in accepted)
            {
                var trace = GetOrAddTrace(traceId);
                if (trace.Spans.Count >= _maxSpansPerTrace)
                {
                    rejected++;
                    continue;
                }

                trace.Add(span);
                _spanCount++;
                while (_spanCount > _maxSpans && _tracesByArrival.First?.Value is { } oldest && oldest != trace)
                {
                    EvictOldestTrace();
                }
            }

            _receivedSpans += accepted.Count;
            _rejectedSpans += rejected;
        }

        return rejected;
    }

    /// <summary>Stores the log records; returns how many were rejected (a trace id or span id of the wrong length).</summary>
    public int AddLogs(ExportLogsServiceRequest request)
    {
        var accepted = new List<(LogRecord Record, TelemetryResource Resource, string Scope)>();
        var rejected = 0;
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var resource = _resources.Resolve(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var scope = scopeLogs.Scope?.Name ?? "";
                foreach (var record in scopeLogs.LogRecords)
                {
                    if (record.TraceId.Length is 0 or 16 && record.SpanId.Length is 0 or 8)
                    {
                        accepted.Add((record, resource, scope));
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }

        lock (_logsLock)
        {
            foreach (var (record, resource, scope) in accepted)
            {
                if (_logs.Add(new StoredLog(++_logSequence, record, resource, scope)))
                {
                    _evictedLogs++;
                }
            }

            _rejectedLogs += rejected;
        }

        return rejected;
    }

    /// <summary>Records which metrics each resource sends; returns how many data points were not kept (always 0: none are).</summary>
    public int AddMetrics(ExportMetricsServiceRequest request)
    {
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resource = _resources.Resolve(resourceMetrics.Resource);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                _metrics.Record(resource, scopeMetrics.Scope?.Name ?? "", scopeMetrics.Metrics);
            }
        }

        return 0;
    }

    /// <summary>The most recently received traces first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<TraceSummary> GetTraces(string? service = null, bool errorsOnly = false, int limit = 100)
    {
        var selected = new List<(UInt128 Id, StoredSpan[] Spans)>();
        lock (_tracesLock)
        {
            for (var node = _tracesByArrival.Last; node is not null && selected.Count < limit; node = node.Previous)
            {
                var trace = node.Value;
                if ((!errorsOnly || trace.ErrorCount > 0) && (string.IsNullOrEmpty(service) || trace.HasService(service)))
                {
                    selected.Add((trace.Id, trace.Spans.ToArray()));
                }
            }
        }

        return selected
            .Select(t => TraceViews.Summarize(ToHex(t.Id), t.Spans))
            .OrderByDescending(t => t.StartTime)
            .ToList();
    }

    /// <summary>The trace with its spans, or null when the id is unknown (or malformed).</summary>
    public TraceDetail? GetTrace(string traceId)
    {
        if (!TryParseHex(traceId, out var id))
        {
            return null;
        }

        StoredSpan[] spans;
        lock (_tracesLock)
        {
            if (!_traces.TryGetValue(id, out var trace))
            {
                return null;
            }

            spans = trace.Spans.ToArray();
        }

        return TraceViews.Detail(ToHex(id), spans);
    }

    /// <summary>The newest log records first, at most <paramref name="limit"/>, only those after <paramref name="afterSequence"/>.</summary>
    public IReadOnlyList<LogEntry> GetLogs(string? service = null, string? traceId = null, int limit = 100, long afterSequence = 0)
    {
        byte[]? traceIdBytes = null;
        if (!string.IsNullOrEmpty(traceId))
        {
            if (!TryParseHex(traceId, out var id))
            {
                return [];
            }

            traceIdBytes = new byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(traceIdBytes, id);
        }

        var selected = new List<StoredLog>();
        lock (_logsLock)
        {
            foreach (var log in _logs.NewestFirst())
            {
                if (selected.Count >= limit || log.Sequence <= afterSequence)
                {
                    break;
                }

                if ((string.IsNullOrEmpty(service) || log.Resource.ServiceName == service)
                    && (traceIdBytes is null || log.Proto.TraceId.Span.SequenceEqual(traceIdBytes)))
                {
                    selected.Add(log);
                }
            }
        }

        return selected.Select(LogViews.ToEntry).ToList();
    }

    public IReadOnlyList<MetricSummary> GetMetrics(string? service = null) => _metrics.Snapshot(service);

    public TelemetryStats GetStats()
    {
        int traces, logs;
        long spans, receivedSpans, evictedTraces, rejectedSpans, receivedLogs, evictedLogs, rejectedLogs;
        lock (_tracesLock)
        {
            (traces, spans, receivedSpans, evictedTraces, rejectedSpans) = (_traces.Count, _spanCount, _receivedSpans, _evictedTraces, _rejectedSpans);
        }

        lock (_logsLock)
        {
            (logs, receivedLogs, evictedLogs, rejectedLogs) = (_logs.Count, _logSequence, _evictedLogs, _rejectedLogs);
        }

        return new TelemetryStats(traces, spans, logs, _metrics.Count, receivedSpans, receivedLogs, evictedTraces, evictedLogs, rejectedSpans, rejectedLogs);
    }

    private TraceEntry GetOrAddTrace(UInt128 traceId)
    {
        if (_traces.TryGetValue(traceId, out var trace))
        {
            return trace;
        }

        trace = new TraceEntry(traceId);
        _traces.Add(traceId, trace);
        _tracesByArrival.AddLast(trace);

        if (_traces.Count > _maxTraces)
        {
            EvictOldestTrace();
        }

        return trace;
    }

    private void EvictOldestTrace()
    {
        var oldest = _tracesByArrival.First!.Value;
        _tracesByArrival.RemoveFirst();
        _traces.Remove(oldest.Id);
        _spanCount -= oldest.Spans.Count;
        _evictedTraces++;
    }

    private static bool TryReadTraceId(ReadOnlySpan<byte> bytes, out UInt128 id)
    {
        id = bytes.Length == 16 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : UInt128.Zero;
        return id != UInt128.Zero;
    }

    private static bool IsValidSpanId(ReadOnlySpan<byte> bytes) => bytes.Length == 8 && !OtlpValues.IsAllZero(bytes);

    private static bool TryParseHex(string hex, out UInt128 id) =>
        UInt128.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id) && hex.Length == 32;

    private static string ToHex(UInt128 id) => id.ToString("x32", CultureInfo.InvariantCulture);
}
