using System.Collections.Concurrent;
using System.Diagnostics;

namespace NotesAspire.Tests.Dashboard;

public sealed class SelfTracingTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task DashboardRequestsStartNoActivityThatTheHostsTracingWouldSee()
    {
        // Each request carries a trace id of its own: an ASP.NET Core activity for it would continue that trace.
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<ActivityTraceId>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity => seen.Add(activity.TraceId),
        };
        ActivitySource.AddActivityListener(listener);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/traces");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await dashboard.Api.Http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.DoesNotContain(traceId, seen);
    }
}
