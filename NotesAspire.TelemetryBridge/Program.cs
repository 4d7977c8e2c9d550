using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NotesAspire.TelemetryBridge;
using NotesAspire.TelemetryBridge.Receiving;
using NotesAspire.TelemetryBridge.Sending;

// The services export OTLP once, here; the bridge hands every request on to the dashboard (with Datadog's names added)
// and to the Datadog agent: as it came to the agent's OTLP receiver, or as the trace API's MessagePack. No
// ServiceDefaults: the bridge must not send its own telemetry to itself.
// Content root beside the dll, so appsettings.json applies wherever the bridge is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var options = BridgeOptions.From(builder.Configuration);
var maxRequestBytes = options.Tuning.MaxRequestBytes;

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = maxRequestBytes;

    // gRPC without TLS is HTTP/2 with prior knowledge, which Kestrel only speaks on an HTTP/2-only endpoint; and without
    // TLS a mixed endpoint cannot negotiate HTTP/2 at all, so the OTLP/HTTP endpoint is plainly HTTP/1.1.
    options.Listen(kestrel, options.GrpcPort, HttpProtocols.Http2);
    options.Listen(kestrel, options.HttpPort, HttpProtocols.Http1);
});

builder.Services.AddSingleton(options);
builder.Services.AddGrpc(grpc =>
{
    grpc.MaxReceiveMessageSize = maxRequestBytes;

    // gRPC's answer to unknown services is a route for any method on any /{service}/{method}: it would take
    // /v1/traces and /api/stats from routing's 405 for a wrong method, and leave an empty 404. A gRPC sender reads the
    // 404 it gets instead as Unimplemented.
    grpc.IgnoreUnknownServices = true;

    // gzip only, and checked as OTLP/HTTP's is (gRPC's defaults, gzip and deflate, go): OTLP senders compress with gzip.
    grpc.CompressionProviders = [new OtlpGrpcGzip(maxRequestBytes)];
});
builder.Services.AddSingleton<IServiceMethodProvider<OtlpGrpcReceiver>, OtlpGrpcReceiver.Methods>();
builder.Services.AddHealthChecks();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<Destinations>();
builder.Services.AddHostedService(services => services.GetRequiredService<Destinations>());
builder.Services.AddSingleton<OtlpFanout>();

var app = builder.Build();

// Problem details for routing's own answers (an unknown path, a method a path does not take), which are empty otherwise.
app.UseStatusCodePages();
app.UseGrpcFrameCheck(maxRequestBytes);
app.MapGrpcService<OtlpGrpcReceiver>();
app.MapOtlpHttp(app.Services.GetRequiredService<OtlpFanout>(), maxRequestBytes);

// The bridge has no dependency worth checking: healthy is alive. GET and HEAD, as the services' (ServiceDefaults).
string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];
app.MapHealthChecks("/health").WithMetadata(new HttpMethodMetadata(getAndHead));
app.MapHealthChecks("/alive").WithMetadata(new HttpMethodMetadata(getAndHead));
app.MapMethods("/api/stats", getAndHead, (Destinations destinations) => destinations.Stats.ToDictionary(stats => stats.Name));

app.Run();
