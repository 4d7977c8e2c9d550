using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace TelemetryBridge.Throughput;

/// <summary>
/// The two destinations, in this process: a "dashboard" that counts the spans of each export, and an "agent" that can be
/// stopped. Both take OTLP/HTTP, as the AppHost's dashboard and the Datadog Agent take the bridge's.
/// </summary>
internal sealed class Sinks : IAsyncDisposable
{
    private WebApplication? _dashboard;
    private WebApplication? _agent;
    private long _dashboardSpans;
    private long _agentRequests;

    public int DashboardPort { get; } = BridgeRun.FreePort();

    public int AgentPort { get; } = BridgeRun.FreePort();

    public long DashboardSpans => Interlocked.Read(ref _dashboardSpans);

    public long AgentRequests => Interlocked.Read(ref _agentRequests);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, DashboardPort));
        _dashboard = builder.Build();
        _dashboard.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (signal == "traces")
            {
                var export = ExportTraceServiceRequest.Parser.ParseFrom(body.GetBuffer(), 0, (int)body.Length);
                Interlocked.Add(ref _dashboardSpans, export.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count)));
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        await _dashboard.StartAsync();
        await StartAgentAsync();
    }

    public async Task StartAgentAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, AgentPort));
        _agent = builder.Build();
        _agent.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref _agentRequests);
            return Results.Bytes([], "application/x-protobuf");
        });
        await _agent.StartAsync();
    }

    public async Task StopAgentAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
            _agent = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAgentAsync();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }
}
