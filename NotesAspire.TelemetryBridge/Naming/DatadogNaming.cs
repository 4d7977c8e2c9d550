using System.Globalization;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Naming;

/// <summary>
/// The names the Datadog agent gives an OTLP span with its default ("v2") logic, first match wins, as written down in
/// docs/datadog-facts.md. Attributes are looked up on the span first, then on its resource, as the agent does.
/// </summary>
public static class DatadogNaming
{
    // Npgsql 10 and other instrumentations on semantic conventions 1.26+ write db.system.name where older ones wrote db.system.
    private static readonly string[] DbSystemKeys = ["db.system", "db.system.name"];
    private static readonly string[] HttpMethodKeys = ["http.request.method", "http.method"];
    private static readonly string[] DbQueryKeys = ["db.query.text", "db.statement"];
    private static readonly string[] MessagingDestinationKeys = ["messaging.destination.name", "messaging.destination"];

    private static readonly HashSet<string> SqlSystems =
        ["postgresql", "mysql", "mariadb", "mssql", "microsoft.sql_server", "oracle", "oracle.db", "db2", "ibm.db2", "sqlite", "cockroachdb", "h2", "hsqldb", "derby"];

    public static DatadogSpan Describe(OtlpSpanFacts span)
    {
        var exception = span.Events?.LastOrDefault(e => e.Name == "exception")?.Attributes;
        return new DatadogSpan(
            OperationName(span),
            Resource(span),
            SpanType(span),
            Service(span.ResourceAttributes),
            Find(span.ResourceAttributes, "datadog.env", "deployment.environment.name", "deployment.environment"),
            Find(span.ResourceAttributes, "datadog.version", "service.version"),
            span.IsError,
            span.IsError ? Get(exception, "exception.message") ?? NullIfEmpty(span.StatusMessage) : null,
            span.IsError ? Get(exception, "exception.type") : null,
            span.IsError ? Get(exception, "exception.stacktrace") : null,
            TraceId(span.TraceId),
            ToDecimal(span.SpanId),
            span.TraceId);
    }

    public static string OperationName(OtlpSpanFacts span)
    {
        if (Attribute(span, "operation.name") is { } explicitName)
        {
            return explicitName;
        }

        var isServer = span.Kind == SpanKind.Server;
        var isClient = span.Kind == SpanKind.Client;

        if (Attribute(span, HttpMethodKeys) is not null && (isServer || isClient))
        {
            return isServer ? "http.server.request" : "http.client.request";
        }

        if (isClient && Attribute(span, DbSystemKeys) is { } dbSystem)
        {
            return $"{dbSystem}.query";
        }

        if (span.Kind is not (SpanKind.Internal or SpanKind.Unspecified)
            && Attribute(span, "messaging.system") is { } messagingSystem
            && Attribute(span, "messaging.operation") is { } messagingOperation)
        {
            return $"{messagingSystem}.{messagingOperation}";
        }

        if (Attribute(span, "rpc.system") is { } rpcSystem && (isServer || isClient))
        {
            return isServer ? $"{rpcSystem}.server.request" : $"{rpcSystem}.client.request";
        }

        if (Attribute(span, "network.protocol.name") is { } protocol && (isServer || isClient))
        {
            return isServer ? $"{protocol}.server.request" : $"{protocol}.client.request";
        }

        return span.Kind switch
        {
            SpanKind.Server => "server.request",
            SpanKind.Client => "client.request",
            _ => span.Kind.ToString().ToLowerInvariant(),
        };
    }

    public static string Resource(OtlpSpanFacts span)
    {
        if (Attribute(span, "resource.name") is { } explicitResource)
        {
            return explicitResource;
        }

        if (Attribute(span, HttpMethodKeys) is { } method)
        {
            // _OTHER is what the semantic conventions put for a method outside the known set.
            method = method == "_OTHER" ? "HTTP" : method;
            return span.Kind == SpanKind.Server && Attribute(span, "http.route") is { } route ? $"{method} {route}" : method;
        }

        if (Attribute(span, "messaging.operation") is { } operation)
        {
            return Attribute(span, MessagingDestinationKeys) is { } destination ? $"{operation} {destination}" : operation;
        }

        if (Attribute(span, "rpc.method") is { } rpcMethod)
        {
            return Attribute(span, "rpc.service") is { } rpcService ? $"{rpcMethod} {rpcService}" : rpcMethod;
        }

        return Attribute(span, DbQueryKeys) ?? span.Name;
    }

    public static string SpanType(OtlpSpanFacts span) => span.Kind switch
    {
        SpanKind.Server => "web",
        SpanKind.Client when Attribute(span, DbSystemKeys) is { } dbSystem => DbSpanType(dbSystem),
        SpanKind.Client => "http",
        _ => "custom",
    };

    /// <summary>Datadog's 64-bit trace id: the low 8 bytes of the W3C trace id, in decimal.</summary>
    public static string TraceId(string w3cTraceId) =>
        w3cTraceId.Length == 32 ? ToDecimal(w3cTraceId[16..]) : ToDecimal(w3cTraceId);

    private static string DbSpanType(string dbSystem) => dbSystem switch
    {
        _ when SqlSystems.Contains(dbSystem) => "sql",
        "redis" or "memcached" => "cache",
        "cassandra" or "elasticsearch" or "opensearch" or "mongodb" => dbSystem,
        _ => "db",
    };

    private static string Service(IReadOnlyDictionary<string, string> resourceAttributes) =>
        Get(resourceAttributes, "service.name") ?? "otlpresourcenoservicename";

    private static string ToDecimal(string hex) =>
        ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value.ToString(CultureInfo.InvariantCulture)
            : "0";

    private static string? Attribute(OtlpSpanFacts span, params string[] keys) =>
        Find(span.Attributes, keys) ?? Find(span.ResourceAttributes, keys);

    private static string? Find(IReadOnlyDictionary<string, string> attributes, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (Get(attributes, key) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Get(IReadOnlyDictionary<string, string>? attributes, string key) =>
        attributes is not null && attributes.TryGetValue(key, out var value) ? NullIfEmpty(value) : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
