using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NotesAspire.Dashboard.Api;
using NotesAspire.Dashboard.Hosting;
using NotesAspire.Dashboard.Otlp;
using NotesAspire.Dashboard.Pages;
using NotesAspire.Dashboard.Storage;

namespace NotesAspire.Dashboard;

/// <summary>
/// The AppHost's dashboard: one Kestrel server with three endpoints, the pages and <c>/api</c>, OTLP/gRPC and OTLP/HTTP,
/// all in the calling process. Start it with <see cref="StartAsync"/>, stop it by disposing.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private const string UntracedSourceName = "NotesAspire.Dashboard.Untraced";

    private readonly WebApplication _app;
    private readonly OtlpForwarder _forwarder;

    private DashboardServer(WebApplication app, OtlpForwarder forwarder, TelemetryStore telemetry, Uri dashboardUrl, Uri otlpGrpcUrl, Uri otlpHttpUrl, string? token)
    {
        _app = app;
        _forwarder = forwarder;
        Telemetry = telemetry;
        DashboardUrl = dashboardUrl;
        OtlpGrpcUrl = otlpGrpcUrl;
        OtlpHttpUrl = otlpHttpUrl;
        Token = token;
    }

    /// <summary>The dashboard's address; with <c>/login?t=TOKEN</c> when a token is required. The one to print at start.</summary>
    public Uri DashboardUrl { get; }

    /// <summary>For OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_PROTOCOL=grpc.</summary>
    public Uri OtlpGrpcUrl { get; }

    /// <summary>For OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf (the SDK appends /v1/traces etc.).</summary>
    public Uri OtlpHttpUrl { get; }

    /// <summary>The token the pages and <c>/api</c> require, or null on loopback where none is.</summary>
    public string? Token { get; }

    public TelemetryStore Telemetry { get; }

    public static async Task<DashboardServer> StartAsync(DashboardOptions options, IResourceCatalog resources, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resources);

        var address = ParseHost(options.Host);
        var token = IPAddress.IsLoopback(address) ? null : options.Token ?? RandomNumberGenerator.GetHexString(32, lowercase: true);
        var telemetry = new TelemetryStore(options.MaxTraces, options.MaxLogRecords, options.MaxSpansPerTrace, options.MaxSpans, options.MaxMetrics);
        var listeners = new Dictionary<Listener, ListenOptions>();
        var forwarder = new OtlpForwarder(options.ForwardOtlpTo, options.ForwardingReport);

        // The empty builder reads no appsettings, environment or arguments: the AppHost's own configuration
        // (ASPNETCORE_URLS, Logging__*) must not leak into its dashboard. No logging provider either: the AppHost console is the services'.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            Listen(kestrel, Listener.Dashboard, options.Port, HttpProtocols.Http1);
            Listen(kestrel, Listener.OtlpGrpc, options.OtlpGrpcPort, HttpProtocols.Http2);
            Listen(kestrel, Listener.OtlpHttp, options.OtlpHttpPort, HttpProtocols.Http1);
        });

        void Listen(KestrelServerOptions kestrel, Listener listener, int port, HttpProtocols protocols) =>
            kestrel.Listen(address, port, listenOptions =>
            {
                listenOptions.Protocols = protocols;
                listeners[listener] = listenOptions;
            });

        var services = builder.Services;
        services.AddRouting();
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.MaxRequestBytes);
        services.AddSingleton(telemetry);
        services.AddSingleton(forwarder);
        services.AddSingleton<OtlpIngest>();
        services.AddSingleton(resources);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });

        // The dashboard must not trace itself: ASP.NET Core starts request activities from these, and any
        // OpenTelemetry SDK in the hosting process listens to the standard names.
        services.RemoveAll<ActivitySource>().AddSingleton(new ActivitySource(UntracedSourceName));
        services.RemoveAll<DiagnosticListener>().RemoveAll<DiagnosticSource>();
        services.AddSingleton(new DiagnosticListener(UntracedSourceName));
        services.AddSingleton<DiagnosticSource>(sp => sp.GetRequiredService<DiagnosticListener>());
        services.RemoveAll<IMeterFactory>().AddSingleton<IMeterFactory, PrivateMeterFactory>();

        var app = builder.Build();
        var listenerGate = new ListenerGate(listeners);
        var tokenGate = new TokenGate(token);
        app.UseRouting();
        app.Use(listenerGate.InvokeAsync);
        app.Use(tokenGate.InvokeAsync);

        app.MapGrpcService<OtlpGrpcTraceService>().WithMetadata(new ServedOn(Listener.OtlpGrpc));
        app.MapGrpcService<OtlpGrpcLogsService>().WithMetadata(new ServedOn(Listener.OtlpGrpc));
        app.MapGrpcService<OtlpGrpcMetricsService>().WithMetadata(new ServedOn(Listener.OtlpGrpc));
        app.MapOtlpHttp(app.Services.GetRequiredService<OtlpIngest>(), options.MaxRequestBytes).WithMetadata(new ServedOn(Listener.OtlpHttp));
        app.MapDashboardApi().WithMetadata(new ServedOn(Listener.Dashboard));
        tokenGate.MapLogin(app).WithMetadata(new ServedOn(Listener.Dashboard));
        app.MapEmbeddedPages().WithMetadata(new ServedOn(Listener.Dashboard));

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            // A port already taken: release whatever did bind before the caller sees the error.
            await app.DisposeAsync();
            await forwarder.DisposeAsync();
            throw;
        }

        var host = UrlHost(address);
        var dashboardUrl = new Uri($"http://{host}:{listenerGate.PortOf(Listener.Dashboard)}/");
        return new DashboardServer(
            app,
            forwarder,
            telemetry,
            token is null ? dashboardUrl : new Uri(dashboardUrl, $"{TokenGate.LoginPath}?t={token}"),
            new Uri($"http://{host}:{listenerGate.PortOf(Listener.OtlpGrpc)}"),
            new Uri($"http://{host}:{listenerGate.PortOf(Listener.OtlpHttp)}"),
            token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        // After the receivers stop, so what they accepted last is still forwarded.
        await _forwarder.DisposeAsync();
    }

    private static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "+" => IPAddress.Any,
        _ when IPAddress.TryParse(host, out var address) => address,
        _ => throw new ArgumentException($"Host must be an IP address, 'localhost' or '*'; got '{host}'.", nameof(host)),
    };

    /// <summary>Where a client on this machine reaches the server: a wildcard bind is reachable on loopback.</summary>
    private static string UrlHost(IPAddress address) =>
        address.Equals(IPAddress.Any) ? "127.0.0.1"
        : address.Equals(IPAddress.IPv6Any) ? "[::1]"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
        : address.ToString();
}
