using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Tests.Dashboard;

/// <summary>Reading traces back from a dashboard, whose spans arrive in several exports (one per service, and batches).</summary>
public static class Traces
{
    /// <summary>Waits until the dashboard holds a trace of notes that <paramref name="isComplete"/> accepts.</summary>
    public static async Task<TraceDetail> WaitForTraceAsync(this DashboardApiClient api, Func<IReadOnlyList<SpanDetail>, bool> isComplete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            foreach (var summary in await api.GetTracesAsync("?service=notes&limit=1000"))
            {
                var trace = await api.GetTraceAsync(summary.TraceId);
                if (trace is not null && isComplete(trace.Spans))
                {
                    return trace;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "The expected trace did not reach the OTLP receiver within 60 s.");
            await Task.Delay(200);
        }
    }

    public static IEnumerable<SpanDetail> AncestorsOf(SpanDetail span, IReadOnlyList<SpanDetail> spans)
    {
        for (var parent = spans.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null;
             parent = spans.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }
}
