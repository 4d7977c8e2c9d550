using Microsoft.Extensions.Configuration;

namespace NotesAspire.ServiceDefaults;

/// <summary>
/// Datadog's unified service tags as OpenTelemetry resource attributes, the ones Datadog reads from OTLP data:
/// service.name, deployment.environment.name and service.version, plus the free-form tags of DD_TAGS.
/// </summary>
/// <remarks>
/// Which wins, highest first:
/// <list type="number">
/// <item>DD_SERVICE, DD_ENV, DD_VERSION (and DD_TAGS for other keys): the tutorial's variables, set on purpose for Datadog;</item>
/// <item>OTEL_SERVICE_NAME, then the same keys in OTEL_RESOURCE_ATTRIBUTES: the OpenTelemetry SDK reads those itself,
///   so we add nothing when they are present and DD_* is not;</item>
/// <item>the application name, for service.name only.</item>
/// </list>
/// </remarks>
public sealed record ServiceTags(IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes)
{
    public const string ServiceName = "service.name";
    public const string Environment = "deployment.environment.name";
    public const string Version = "service.version";

    public static ServiceTags From(IConfiguration configuration, string applicationName)
    {
        var otelAttributes = ParsePairs(configuration["OTEL_RESOURCE_ATTRIBUTES"], '=');
        var attributes = new Dictionary<string, object>();

        // DD_TAGS first, so that the dedicated variables below win over a service/env/version key inside it.
        foreach (var (key, value) in ParsePairs(configuration["DD_TAGS"], ':'))
        {
            attributes[key switch { "service" => ServiceName, "env" => Environment, "version" => Version, _ => key }] = value;
        }

        Set(attributes, ServiceName, configuration["DD_SERVICE"]);
        Set(attributes, Environment, configuration["DD_ENV"]);
        Set(attributes, Version, configuration["DD_VERSION"]);

        var serviceNameFromOtel = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]) || otelAttributes.ContainsKey(ServiceName);
        if (!attributes.ContainsKey(ServiceName) && !serviceNameFromOtel)
        {
            attributes[ServiceName] = applicationName;
        }

        return new ServiceTags(attributes.ToList());
    }

    /// <summary>The attribute's value, or null when this list leaves it to the SDK's own detectors.</summary>
    public object? this[string key] => ResourceAttributes.FirstOrDefault(pair => pair.Key == key).Value;

    private static void Set(Dictionary<string, object> attributes, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            attributes[key] = value.Trim();
        }
    }

    /// <summary>Parses "k1:v1,k2:v2" (DD_TAGS also allows spaces as separators) or "k1=v1,k2=v2".</summary>
    private static Dictionary<string, string> ParsePairs(string? text, char separator)
    {
        var pairs = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return pairs;
        }

        char[] delimiters = separator == ':' ? [',', ' '] : [','];
        foreach (var item in text.Split(delimiters, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = item.IndexOf(separator);
            if (at > 0 && at < item.Length - 1)
            {
                pairs[item[..at].Trim()] = item[(at + 1)..].Trim();
            }
        }

        return pairs;
    }
}
