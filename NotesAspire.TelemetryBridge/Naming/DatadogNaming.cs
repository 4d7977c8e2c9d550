using System.Collections.Frozen;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace NotesAspire.TelemetryBridge.Naming;

/// <summary>
/// The names the Datadog agent gives an OTLP span with its default ("v2") logic, first match wins, as written down in
/// docs/telemetry-bridge.md. Attributes are looked up on the span first, then on its resource, as the agent does.
/// </summary>
public static class DatadogNaming
{
    // Npgsql 10 and other instrumentations on semantic conventions 1.26+ write db.system.name where older ones wrote db.system.
    private static readonly string[] DbSystemKeys = ["db.system", "db.system.name"];
    private static readonly string[] HttpMethodKeys = ["http.request.method", "http.method"];
    private static readonly string[] DbQueryKeys = ["db.query.text", "db.statement"];
    private static readonly string[] MessagingDestinationKeys = ["messaging.destination.name", "messaging.destination"];

    /// <summary>
    /// Every span attribute the rules below read: the bridge decodes only these from a span on its way to the dashboard
    /// (<see cref="DatadogAttributes"/>). A rule that reads a new key adds it here; a test checks that none is missing.
    /// </summary>
    public static readonly FrozenSet<string> SpanKeys = new string[]
    {
        "operation.name", "resource.name", "span.type", "service.name", "http.route",
        "messaging.system", "messaging.operation", "rpc.system", "rpc.method", "rpc.service", "network.protocol.name",
    }.Concat(DbSystemKeys).Concat(HttpMethodKeys).Concat(DbQueryKeys).Concat(MessagingDestinationKeys).ToFrozenSet(StringComparer.Ordinal);

    private static readonly HashSet<string> SqlSystems =
        ["postgresql", "mysql", "mariadb", "mssql", "microsoft.sql_server", "oracle", "oracle.db", "db2", "ibm.db2", "sqlite", "cockroachdb", "h2", "hsqldb", "derby"];

    /// <summary>
    /// The one entry point both Datadog paths use: the dashboard's preview (<see cref="DatadogAttributes"/>) and the spans
    /// sent to the agent's trace API (<see cref="TraceApi.TraceApiPayload"/>), so the preview is exactly what is sent.
    /// </summary>
    public static DatadogNames Describe(OtlpSpanFacts span) => new(
        OperationName(span),
        Resource(span),
        SpanType(span),
        // The agent takes a span's own service.name before its resource's.
        Attribute(span, "service.name") ?? "otlpresourcenoservicename",
        Find(span.ResourceAttributes, "datadog.env", "deployment.environment.name", "deployment.environment"),
        Find(span.ResourceAttributes, "datadog.version", "service.version"));

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

        // The agent spells the other kinds as the Collector's SpanKind.String() does, capitalised, and keeps the case.
        return span.Kind switch
        {
            SpanKind.Server => "server.request",
            SpanKind.Client => "client.request",
            SpanKind.Producer => "Producer",
            SpanKind.Consumer => "Consumer",
            _ => "Internal",
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

    public static string SpanType(OtlpSpanFacts span) => Attribute(span, "span.type") ?? span.Kind switch
    {
        SpanKind.Server => "web",
        SpanKind.Client when Attribute(span, DbSystemKeys) is { } dbSystem => DbSpanType(dbSystem),
        SpanKind.Client => "http",
        _ => "custom",
    };

    private static string DbSpanType(string dbSystem) => dbSystem switch
    {
        _ when SqlSystems.Contains(dbSystem) => "sql",
        "redis" or "memcached" => "cache",
        "cassandra" or "elasticsearch" or "opensearch" or "mongodb" => dbSystem,
        _ => "db",
    };

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
