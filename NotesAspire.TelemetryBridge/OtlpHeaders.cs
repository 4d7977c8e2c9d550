namespace NotesAspire.TelemetryBridge;

/// <summary>OTEL_EXPORTER_OTLP_HEADERS: <c>key1=value1,key2=value2</c>, values URL-encoded (OpenTelemetry's spec).</summary>
public static class OtlpHeaders
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? headers)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in (headers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals > 0)
            {
                result.Add(new(pair[..equals].Trim(), Uri.UnescapeDataString(pair[(equals + 1)..].Trim())));
            }
        }

        return result;
    }
}
