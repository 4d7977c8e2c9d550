using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The tutorial's end, Datadog, with a real OTLP receiver standing in for the agent (the agent container itself needs a
/// Docker engine): what the services send reaches it through the bridge, whole and untouched, even across an outage.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DatadogTests(AppHostFixture apphost)
{
    [Fact]
    public async Task APostWithAddDateReachesTheAgentAsOneTraceAcrossNotesPostgresAndCalendar()
    {
        var traceId = await PostTracedAsync("/notes?desc=ToDatadog&add_date=y");

        // Each service exports its own batches: wait for all of them.
        Assert.True(await Eventually.IsTrue(() => SpansAtTheAgent(traceId) is var spans
            && spans.Any(span => span.Service == "calendar")
            && spans.Any(span => span.Service == "notes" && span.Span.Kind == Span.Types.SpanKind.Server)
            && spans.Any(span => span.Span.Attributes.Any(a => a.Key == "db.system.name"))));
        var spans = SpansAtTheAgent(traceId);

        Assert.Contains(spans, span => span.Service == "notes" && span.Span.Kind == Span.Types.SpanKind.Server && span.Span.Name == "POST /notes");
        Assert.Contains(spans, span => span.Service == "notes" && span.Span.Attributes.Any(a => a.Key == "db.system.name"));
        Assert.Contains(spans, span => span.Service == "calendar" && span.Span.Kind == Span.Types.SpanKind.Server);
        Assert.All(spans, span =>
        {
            Assert.Equal("dev", span.Resource["deployment.environment.name"]);
            Assert.Equal("0.1.0", span.Resource["service.version"]);
            // The agent's copy is untouched: Datadog's names are added to the dashboard's copy only.
            Assert.DoesNotContain(span.Span.Attributes, attribute => attribute.Key.StartsWith("datadog.", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task TheDashboardShowsEachSpanAsDatadogWillNameIt()
    {
        var traceId = await PostTracedAsync("/notes?desc=Named&add_date=y");
        using var api = apphost.CreateTelemetryApiClient();
        var spans = await DashboardSpans.WaitForTraceAsync(api, traceId, spans =>
            spans.Any(span => span.Service == "calendar") && spans.Any(span => span.Attributes.ContainsKey("db.system.name"))
            && spans.Any(span => span.Service == "notes" && span.Kind == ActivityKind.Server) && spans.Any(span => span.Name == "AddDate"));

        var root = Assert.Single(spans, span => span.Service == "notes" && span.Kind == ActivityKind.Server);
        Assert.Equal("http.server.request", root.Attributes["datadog.operation_name"]);
        Assert.Equal("POST /notes", root.Attributes["datadog.resource"]);
        Assert.Equal("web", root.Attributes["datadog.span_type"]);
        Assert.Equal(("notes", "dev", "0.1.0"), (root.Attributes["datadog.service"], root.Attributes["datadog.env"], root.Attributes["datadog.version"]));

        var query = spans.First(span => span.Attributes.ContainsKey("db.system.name"));
        Assert.Equal(("postgresql.query", "sql"), (query.Attributes["datadog.operation_name"], query.Attributes["datadog.span_type"]));
        var step = Assert.Single(spans, span => span.Name == "AddDate");
        Assert.Equal(("Internal", "custom"), (step.Attributes["datadog.operation_name"], step.Attributes["datadog.span_type"]));
        var calendar = Assert.Single(spans, span => span.Service == "calendar" && span.Kind == ActivityKind.Server);
        Assert.Equal(("GET /calendar", "calendar"), (calendar.Attributes["datadog.resource"], calendar.Attributes["datadog.service"]));
    }

    [Fact]
    public async Task AnAgentOutageOfThirtySecondsLosesNothing()
    {
        await apphost.Agent.StopAsync();
        var outage = Stopwatch.StartNew();
        var traceIds = new List<string>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                traceIds.Add(await PostTracedAsync($"/notes?desc=Outage{i}"));
            }

            await Task.Delay(TimeSpan.FromSeconds(30) - outage.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        }
        finally
        {
            await apphost.Agent.StartAgainAsync();
        }

        Assert.True(await Eventually.IsTrue(() => traceIds.All(traceId => SpansAtTheAgent(traceId).Any(span => span.Span.Kind == Span.Types.SpanKind.Server))),
            $"{traceIds.Count(traceId => !SpansAtTheAgent(traceId).Any())} of 100 traces never reached the agent.");
        // Every span of every request, once: the server's, the CreateNote step's and PostgreSQL's.
        Assert.True(await Eventually.IsTrue(() => traceIds.All(traceId => SpansAtTheAgent(traceId).Count == 3)),
            $"Traces short of their three spans: {traceIds.Count(traceId => SpansAtTheAgent(traceId).Count != 3)} of 100.");
        Assert.All(traceIds, traceId =>
        {
            var spans = SpansAtTheAgent(traceId);
            Assert.Single(spans, span => span.Span.Kind == Span.Types.SpanKind.Server);
            Assert.Single(spans, span => span.Span.Name == "CreateNote");
            Assert.Single(spans, span => span.Span.Kind == Span.Types.SpanKind.Client);
        });
    }

    [Fact]
    public async Task TheApiKeyReachesNoServiceAndNoTelemetry()
    {
        var traceId = await PostTracedAsync("/notes?desc=Secretless");
        // The request's telemetry has reached both before anything is searched for the key.
        using (var dashboard = apphost.CreateTelemetryApiClient())
        {
            await DashboardSpans.WaitForTraceAsync(dashboard, traceId, spans => spans.Count > 0);
        }

        Assert.True(await Eventually.IsTrue(() => SpansAtTheAgent(traceId).Any()), "The request's spans never reached the agent.");

        foreach (var resource in apphost.App.Services.GetRequiredService<Aspire.Hosting.ApplicationModel.DistributedApplicationModel>().Resources)
        {
            if (apphost.App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state))
            {
                Assert.DoesNotContain(state.Snapshot.EnvironmentVariables, variable => variable.Value?.Contains(AppHostFixture.DatadogApiKey) == true);
                Assert.DoesNotContain(state.Snapshot.EnvironmentVariables, variable => variable.Name == "DD_API_KEY");
            }
        }

        using var api = apphost.CreateTelemetryApiClient();
        var spans = await api.GetStringAsync("/api/telemetry/spans?limit=10000");
        Assert.Contains(traceId, spans);
        Assert.DoesNotContain(AppHostFixture.DatadogApiKey, spans);
        Assert.DoesNotContain(AppHostFixture.DatadogApiKey, await api.GetStringAsync("/api/telemetry/logs?limit=10000"));
        Assert.All(apphost.Agent.Accepted, request => Assert.DoesNotContain(AppHostFixture.DatadogApiKey, System.Text.Encoding.UTF8.GetString(request.Body)));
    }

    private async Task<string> PostTracedAsync(string url)
    {
        using var notes = apphost.CreateNotesClient();
        var (traceId, status) = await DashboardSpans.PostTracedAsync(notes, url);
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        return traceId;
    }

    private IReadOnlyList<(string Service, Span Span, IReadOnlyDictionary<string, string> Resource)> SpansAtTheAgent(string traceId)
    {
        var wanted = ByteString.CopyFrom(Convert.FromHexString(traceId));
        return apphost.Agent.Traces
            .SelectMany(request => request.ResourceSpans)
            .SelectMany(resourceSpans =>
            {
                var resource = resourceSpans.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue);
                return resourceSpans.ScopeSpans.SelectMany(scope => scope.Spans)
                    .Where(span => span.TraceId == wanted)
                    .Select(span => (resource.GetValueOrDefault("service.name", ""), span, (IReadOnlyDictionary<string, string>)resource));
            })
            .ToList();
    }
}
