using NotesAspire.Tests.Infrastructure;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Tests.Notes;

[Collection(PostgresCollection.Name)]
public sealed class MetricsTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    private StandInAgent? _receiver;

    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver!.Address.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
    };

    public override async Task InitializeAsync()
    {
        _receiver = await StandInAgent.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task RequestsAreMeasuredWithoutTheInternalsKestrelRoutingAndNpgsqlCountOnEveryRequest()
    {
        var id = await CreateNoteAsync("Measured");
        using var read = await Notes.GetAsync($"/notes?id={id}");

        string[] kept = ["http.server.request.duration", "http.server.active_requests", "db.client.operation.duration"];
        Assert.True(await Eventually.IsTrue(() => kept.All(MetricNames().Contains)), $"exported: {string.Join(", ", MetricNames())}");
        var names = MetricNames();
        Assert.DoesNotContain(names, name => name.StartsWith("aspnetcore.memory_pool.", StringComparison.Ordinal));
        Assert.DoesNotContain("aspnetcore.routing.match_attempts", names);
        Assert.DoesNotContain("db.client.operation.npgsql.bytes_written", names);
        Assert.DoesNotContain("db.client.operation.npgsql.bytes_read", names);
        Assert.DoesNotContain("db.client.operation.npgsql.executing", names);
    }

    private HashSet<string> MetricNames() =>
        _receiver!.Metrics
            .SelectMany(export => export.ResourceMetrics)
            .SelectMany(resource => resource.ScopeMetrics)
            .SelectMany(scope => scope.Metrics)
            .Select(metric => metric.Name)
            .ToHashSet();
}
