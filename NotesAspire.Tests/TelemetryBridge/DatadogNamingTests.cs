using NotesAspire.TelemetryBridge.Naming;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>The naming rules of docs/telemetry-bridge.md, one row per rule: the first rule that matches wins.</summary>
public sealed class DatadogNamingTests
{
    public static TheoryData<string, SpanKind, string, string> OperationNames => new()
    {
        { "operation.name wins over everything", SpanKind.Server, "operation.name=checkout.flow;http.request.method=GET", "checkout.flow" },
        { "HTTP server", SpanKind.Server, "http.request.method=POST;http.route=/notes", "http.server.request" },
        { "HTTP client", SpanKind.Client, "http.request.method=GET", "http.client.request" },
        { "HTTP client, old conventions", SpanKind.Client, "http.method=GET", "http.client.request" },
        { "HTTP wins over db", SpanKind.Client, "http.request.method=GET;db.system=postgresql", "http.client.request" },
        { "database client", SpanKind.Client, "db.system=postgresql", "postgresql.query" },
        { "database client, Npgsql 10", SpanKind.Client, "db.system.name=postgresql", "postgresql.query" },
        { "database on a non-client span", SpanKind.Internal, "db.system=postgresql", "Internal" },
        { "messaging", SpanKind.Producer, "messaging.system=rabbitmq;messaging.operation=publish", "rabbitmq.publish" },
        { "RPC server", SpanKind.Server, "rpc.system=grpc", "grpc.server.request" },
        { "RPC client", SpanKind.Client, "rpc.system=grpc", "grpc.client.request" },
        { "protocol server", SpanKind.Server, "network.protocol.name=amqp", "amqp.server.request" },
        { "protocol client", SpanKind.Client, "network.protocol.name=amqp", "amqp.client.request" },
        { "bare server", SpanKind.Server, "", "server.request" },
        { "bare client", SpanKind.Client, "", "client.request" },
        { "internal, spelt as the Collector's SpanKind.String()", SpanKind.Internal, "", "Internal" },
        { "unspecified counts as internal", SpanKind.Unspecified, "", "Internal" },
        { "producer", SpanKind.Producer, "", "Producer" },
        { "consumer", SpanKind.Consumer, "", "Consumer" },
    };

    public static TheoryData<string, SpanKind, string, string> Resources => new()
    {
        { "resource.name wins", SpanKind.Server, "resource.name=custom;http.request.method=GET;http.route=/notes", "custom" },
        { "server method and route", SpanKind.Server, "http.request.method=POST;http.route=/notes", "POST /notes" },
        { "server method without route", SpanKind.Server, "http.request.method=GET", "GET" },
        { "client method only", SpanKind.Client, "http.request.method=GET;http.route=/calendar", "GET" },
        { "unknown method", SpanKind.Server, "http.request.method=_OTHER", "HTTP" },
        { "messaging operation and destination", SpanKind.Producer, "messaging.operation=publish;messaging.destination.name=notes", "publish notes" },
        { "RPC method and service", SpanKind.Client, "rpc.method=Export;rpc.service=TraceService", "Export TraceService" },
        { "query text", SpanKind.Client, "db.system.name=postgresql;db.query.text=SELECT 1", "SELECT 1" },
        { "statement, old conventions", SpanKind.Client, "db.system=postgresql;db.statement=SELECT 2", "SELECT 2" },
        { "span name otherwise", SpanKind.Internal, "", "span-name" },
    };

    public static TheoryData<string, SpanKind, string, string> SpanTypes => new()
    {
        { "server", SpanKind.Server, "http.request.method=GET", "web" },
        { "postgresql client", SpanKind.Client, "db.system=postgresql", "sql" },
        { "postgresql client, Npgsql 10", SpanKind.Client, "db.system.name=postgresql", "sql" },
        { "HTTP client", SpanKind.Client, "http.request.method=GET", "http" },
        { "other client", SpanKind.Client, "", "http" },
        { "internal", SpanKind.Internal, "", "custom" },
        { "producer", SpanKind.Producer, "messaging.system=rabbitmq", "custom" },
        { "span.type wins", SpanKind.Client, "span.type=cache;db.system=redis", "cache" },
    };

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void OperationNameFollowsTheFirstMatchingRule(string rule, SpanKind kind, string attributes, string expected) =>
        AssertRule(rule, expected, DatadogNaming.OperationName(Span(kind, attributes)));

    [Theory]
    [MemberData(nameof(Resources))]
    public void ResourceFollowsTheFirstMatchingRule(string rule, SpanKind kind, string attributes, string expected) =>
        AssertRule(rule, expected, DatadogNaming.Resource(Span(kind, attributes)));

    [Theory]
    [MemberData(nameof(SpanTypes))]
    public void SpanTypeFollowsTheSpanKindAndDatabase(string rule, SpanKind kind, string attributes, string expected) =>
        AssertRule(rule, expected, DatadogNaming.SpanType(Span(kind, attributes)));

    [Fact]
    public void HttpMethodMayComeFromTheResource()
    {
        var span = Span(SpanKind.Server, "", resource: "http.request.method=GET");

        Assert.Equal("http.server.request", DatadogNaming.OperationName(span));
    }

    [Theory]
    [InlineData("datadog.env=dd;deployment.environment.name=new;deployment.environment=old", "dd")]
    [InlineData("deployment.environment.name=new;deployment.environment=old", "new")]
    [InlineData("deployment.environment=old", "old")]
    [InlineData("", null)]
    public void EnvComesFromTheFirstEnvironmentAttributePresent(string resource, string? expected) =>
        Assert.Equal(expected, DatadogNaming.Describe(Span(SpanKind.Server, "", resource)).Env);

    [Theory]
    [InlineData("datadog.version=9;service.version=1", "9")]
    [InlineData("service.version=1", "1")]
    [InlineData("", null)]
    public void VersionComesFromDatadogVersionElseServiceVersion(string resource, string? expected) =>
        Assert.Equal(expected, DatadogNaming.Describe(Span(SpanKind.Server, "", resource)).Version);

    [Fact]
    public void ServiceIsTheResourceServiceName() =>
        Assert.Equal("notes", DatadogNaming.Describe(Span(SpanKind.Server, "", "service.name=notes")).Service);

    [Fact]
    public void ServiceOfTheSpanItselfWinsOverTheResource() =>
        Assert.Equal("postgres", DatadogNaming.Describe(Span(SpanKind.Client, "service.name=postgres", "service.name=notes")).Service);

    [Fact]
    public void ServiceWithoutServiceNameIsTheAgentsPlaceholder() =>
        Assert.Equal("otlpresourcenoservicename", DatadogNaming.Describe(Span(SpanKind.Server, "")).Service);

    private static void AssertRule(string rule, string expected, string actual) =>
        Assert.True(expected == actual, $"{rule}: expected '{expected}', got '{actual}'");

    private static OtlpSpanFacts Span(SpanKind kind, string attributes, string resource = "") =>
        new("span-name", kind, Parse(attributes), Parse(resource));

    private static Dictionary<string, string> Parse(string pairs) =>
        pairs.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
}
