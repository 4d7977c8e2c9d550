using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace TelemetryBridge.Throughput;

/// <summary>The two destinations, in this process: an OTLP/gRPC "dashboard" and an OTLP/HTTP "agent" that can be stopped.</summary>
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
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, DashboardPort, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        _dashboard = builder.Build();
        _dashboard.MapGrpcService<DashboardTraces>();
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

    private sealed class DashboardTraces(Sinks sinks) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            Interlocked.Add(ref sinks._dashboardSpans, request.ResourceSpans.Sum(r => r.ScopeSpans.Sum(s => s.Spans.Count)));
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }
}
