using NotesAspire.Dashboard.Naming;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Tests.Dashboard;

/// <summary>The rules of docs/datadog-facts.md, one row per rule: the first rule that matches wins.</summary>
public sealed class DatadogNamingTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string SpanId = "b7ad6b7169203331";

    public static TheoryData<string, SpanKind, string, string> OperationNames => new()
    {
        { "operation.name wins over everything", SpanKind.Server, "operation.name=checkout.flow;http.request.method=GET", "checkout.flow" },
        { "HTTP server", SpanKind.Server, "http.request.method=POST;http.route=/notes", "http.server.request" },
        { "HTTP client", SpanKind.Client, "http.request.method=GET", "http.client.request" },
        { "HTTP client, old conventions", SpanKind.Client, "http.method=GET", "http.client.request" },
        { "HTTP wins over db", SpanKind.Client, "http.request.method=GET;db.system=postgresql", "http.client.request" },
        { "database client", SpanKind.Client, "db.system=postgresql", "postgresql.query" },
        { "database client, Npgsql 10", SpanKind.Client, "db.system.name=postgresql", "postgresql.query" },
        { "database on a non-client span", SpanKind.Internal, "db.system=postgresql", "internal" },
        { "messaging", SpanKind.Producer, "messaging.system=rabbitmq;messaging.operation=publish", "rabbitmq.publish" },
        { "RPC server", SpanKind.Server, "rpc.system=grpc", "grpc.server.request" },
        { "RPC client", SpanKind.Client, "rpc.system=grpc", "grpc.client.request" },
        { "protocol server", SpanKind.Server, "network.protocol.name=amqp", "amqp.server.request" },
        { "protocol client", SpanKind.Client, "network.protocol.name=amqp", "amqp.client.request" },
        { "bare server", SpanKind.Server, "", "server.request" },
        { "bare client", SpanKind.Client, "", "client.request" },
        { "internal", SpanKind.Internal, "", "internal" },
        { "producer", SpanKind.Producer, "", "producer" },
        { "consumer", SpanKind.Consumer, "", "consumer" },
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
    public void TraceIdIsTheLowEightBytesOfTheW3cIdInDecimal()
    {
        var described = DatadogNaming.Describe(Span(SpanKind.Server, ""));

        Assert.Equal(0x8448eb211c80319cUL.ToString(), described.TraceId);
        Assert.Equal(0xb7ad6b7169203331UL.ToString(), described.SpanId);
        Assert.Equal(TraceId, described.OtelTraceId);
    }

    [Fact]
    public void ExceptionEventOfAnErrorSpanFillsTheErrorFields()
    {
        var exception = new SpanEvent("exception", DateTimeOffset.UnixEpoch, new Dictionary<string, string>
        {
            ["exception.type"] = "System.TimeoutException",
            ["exception.message"] = "calendar timed out",
            ["exception.stacktrace"] = "at Notes.Add()",
        });
        var span = Span(SpanKind.Client, "") with { IsError = true, StatusMessage = "status says", Events = [exception] };

        var described = DatadogNaming.Describe(span);

        Assert.Equal((true, "calendar timed out", "System.TimeoutException", "at Notes.Add()"),
            (described.Error, described.ErrorMessage, described.ErrorType, described.ErrorStack));
    }

    [Fact]
    public void ErrorSpanWithoutExceptionTakesItsStatusMessage()
    {
        var described = DatadogNaming.Describe(Span(SpanKind.Server, "") with { IsError = true, StatusMessage = "boom" });

        Assert.Equal((true, "boom", null), (described.Error, described.ErrorMessage, described.ErrorType));
    }

    [Fact]
    public void SpanWithoutErrorStatusIsNoError()
    {
        var exception = new SpanEvent("exception", DateTimeOffset.UnixEpoch, new Dictionary<string, string> { ["exception.message"] = "handled" });

        var described = DatadogNaming.Describe(Span(SpanKind.Server, "") with { Events = [exception] });

        Assert.Equal((false, null), (described.Error, described.ErrorMessage));
    }

    private static void AssertRule(string rule, string expected, string actual) =>
        Assert.True(expected == actual, $"{rule}: expected '{expected}', got '{actual}'");

    private static OtlpSpanFacts Span(SpanKind kind, string attributes, string resource = "") =>
        new(TraceId, SpanId, "span-name", kind, Parse(attributes), Parse(resource));

    private static Dictionary<string, string> Parse(string pairs) =>
        pairs.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
}
