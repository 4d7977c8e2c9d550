using System.Collections.Concurrent;
using NotesAspire.Dashboard.Otlp;
using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Storage;

/// <summary>
/// Gives every export of the same service instance the same <see cref="TelemetryResource"/>, so thousands of stored
/// spans share one copy of their resource attributes instead of one per export.
/// </summary>
internal sealed class ResourceRegistry
{
    // Only a cache: spans hold their resource themselves, so clearing it when full loses nothing.
    private const int MaxEntries = 1_000;
    private readonly ConcurrentDictionary<string, TelemetryResource> _resources = new(StringComparer.Ordinal);

    public TelemetryResource Resolve(Resource? resource)
    {
        var attributes = resource is null ? [] : OtlpValues.ToDictionary(resource.Attributes);
        var serviceName = attributes.GetValueOrDefault("service.name") is { Length: > 0 } name ? name : TelemetryResource.UnknownService;
        var instanceId = attributes.GetValueOrDefault("service.instance.id");
        var key = serviceName + "\n" + instanceId;

        if (_resources.TryGetValue(key, out var known) && SameAttributes(known.Attributes, attributes))
        {
            return known;
        }

        if (_resources.Count >= MaxEntries)
        {
            _resources.Clear();
        }

        var created = new TelemetryResource(serviceName, instanceId, attributes);
        _resources[key] = created;
        return created;
    }

    private static bool SameAttributes(IReadOnlyDictionary<string, string> known, Dictionary<string, string> received) =>
        known.Count == received.Count
        && received.All(pair => known.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
