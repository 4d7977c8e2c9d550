using Google.Protobuf.Collections;
using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Storage;

/// <summary>Which metrics each service sends and how many data points came, bounded by the number of distinct metrics.</summary>
internal sealed class MetricCatalog(int maxMetrics)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Service, string Scope, string Name), MetricSummary> _metrics = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _metrics.Count;
            }
        }
    }

    public void Record(TelemetryResource resource, string scope, RepeatedField<Metric> metrics)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            foreach (var metric in metrics)
            {
                var key = (resource.ServiceName, scope, metric.Name);
                var points = DataPoints(metric);
                if (_metrics.TryGetValue(key, out var known))
                {
                    _metrics[key] = known with { DataPoints = known.DataPoints + points, LastSeen = now };
                }
                else if (_metrics.Count < maxMetrics)
                {
                    _metrics[key] = new MetricSummary(resource.ServiceName, scope, metric.Name, metric.Unit, TypeName(metric), points, now);
                }
            }
        }
    }

    public IReadOnlyList<MetricSummary> Snapshot(string? service)
    {
        lock (_lock)
        {
            return _metrics.Values
                .Where(m => string.IsNullOrEmpty(service) || m.Service == service)
                .OrderBy(m => m.Service, StringComparer.Ordinal)
                .ThenBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    private static int DataPoints(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    private static string TypeName(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.ExponentialHistogram => "exponentialHistogram",
        Metric.DataOneofCase.None => "unknown",
        var other => other.ToString().ToLowerInvariant(),
    };
}
