using NotesAspire.Dashboard.Otlp.Proto;

namespace NotesAspire.Dashboard.Storage;

/// <summary>The spans received so far for one trace id. Guarded by the store's lock.</summary>
internal sealed class TraceEntry(UInt128 id)
{
    public UInt128 Id { get; } = id;

    public List<StoredSpan> Spans { get; } = [];

    public int ErrorCount { get; private set; }

    public void Add(StoredSpan span)
    {
        Spans.Add(span);
        if (span.Proto.Status?.Code == Status.Types.StatusCode.Error)
        {
            ErrorCount++;
        }
    }

    public bool HasService(string service) => Spans.Exists(span => span.Resource.ServiceName == service);
}
