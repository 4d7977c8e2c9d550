using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NotesAspire.Dashboard.Otlp;
using NotesAspire.Dashboard.Storage;

namespace NotesAspire.Dashboard.Api;

/// <summary>The JSON API under <c>/api</c> that the pages poll; documented in the README's "Dashboard API" section.</summary>
internal static class DashboardApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1_000;

    public static IEndpointConventionBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");

        api.MapGet("/resources", (IResourceCatalog catalog) => catalog.GetResources());

        api.MapGet("/resources/{name}/console", (IResourceCatalog catalog, string name, long? after) =>
            catalog.GetConsoleLogs(name, after ?? 0));

        api.MapGet("/traces", (TelemetryStore store, string? service, bool? errorsOnly, int? limit) =>
            store.GetTraces(service, errorsOnly ?? false, Limit(limit)));

        api.MapGet("/traces/{traceId}", (TelemetryStore store, string traceId) =>
            store.GetTrace(traceId) is { } trace ? Results.Ok(trace) : Results.NotFound());

        api.MapGet("/logs", (TelemetryStore store, string? service, string? traceId, int? limit, long? after) =>
            store.GetLogs(service, traceId, Limit(limit), after ?? 0));

        api.MapGet("/metrics", (TelemetryStore store, string? service) => store.GetMetrics(service));

        api.MapGet("/stats", (TelemetryStore store, OtlpForwarder forwarder) => store.GetStats() with { Forwarding = forwarder.Stats });

        return api;
    }

    private static int Limit(int? requested) => Math.Clamp(requested ?? DefaultLimit, 1, MaxLimit);
}
