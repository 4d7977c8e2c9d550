using System.Net;
using NotesAspire.AppHost.Datadog;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Running;
using NotesAspire.Dashboard;

namespace NotesAspire.AppHost.Hosting;

/// <summary>What the command line (and a few environment variables) ask of a run.</summary>
public sealed record AppHostOptions(
    string StateDirectory,
    IReadOnlyDictionary<string, int> Ports,
    string? PostgresConnectionString,
    OtlpExporter? Otlp,
    bool Help)
{
    /// <summary>Where the dashboard listens; null with <c>--no-dashboard</c>.</summary>
    public DashboardOptions? Dashboard { get; init; } = new();

    /// <summary>An OTLP/HTTP receiver (a Datadog Agent's) to forward the services' telemetry to, over any the environment implies.</summary>
    public Uri? DatadogOtlpEndpoint { get; init; }

    /// <summary>Run PostgreSQL from the machine's binaries even when Docker or Podman answers (tests, or a preference).</summary>
    public bool LocalPostgres { get; init; }

    public const string StateDirectoryVariable = "NOTESASPIRE_STATE_DIR";

    /// <summary>The port the user chose for the resource, else the one Program.cs declares.</summary>
    public int? PortFor(Resource resource) => Ports.TryGetValue(resource.Name, out var port) ? port : null;

    /// <exception cref="ArgumentException">An unknown option or a bad value, with a message for the user.</exception>
    public static AppHostOptions Parse(IReadOnlyList<string> args, AppModel model)
    {
        var stateDirectory = Environment.GetEnvironmentVariable(StateDirectoryVariable);
        var ports = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string? otlpEndpoint = null;
        var otlpProtocol = "grpc";
        var help = false;
        var dashboard = new DashboardOptions();
        var noDashboard = false;
        Uri? datadogEndpoint = null;
        var localPostgres = false;
        var portOptions = PortResources(model).ToDictionary(resource => $"--{resource.Name}-port", resource => resource.Name, StringComparer.OrdinalIgnoreCase);

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var key, var value] && key.StartsWith("--") ? (key, value) : (args[i], null);
            string Value() => inlineValue ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value."));

            switch (name)
            {
                case "-h" or "--help" or "-?":
                    help = true;
                    break;
                case "--state-dir":
                    stateDirectory = Value();
                    break;
                case "--local-postgres":
                    localPostgres = true;
                    break;
                case "--otlp-endpoint":
                    otlpEndpoint = Value();
                    break;
                case "--otlp-protocol":
                    otlpProtocol = Value();
                    if (otlpProtocol is not ("grpc" or "http/protobuf"))
                    {
                        throw new ArgumentException("--otlp-protocol is grpc or http/protobuf.");
                    }


                    break;
                case "--dashboard-port":
                    dashboard = dashboard with { Port = Port(name, Value()) };
                    break;
                case "--otlp-grpc-port":
                    dashboard = dashboard with { OtlpGrpcPort = Port(name, Value()) };
                    break;
                case "--otlp-http-port":
                    dashboard = dashboard with { OtlpHttpPort = Port(name, Value()) };
                    break;
                case "--dashboard-host":
                    var host = Value();
                    dashboard = dashboard with
                    {
                        Host = host is "localhost" or "*" || IPAddress.TryParse(host, out _) ? host
                            : throw new ArgumentException("--dashboard-host is an IP address, localhost or * (every interface)."),
                    };
                    break;
                case "--no-dashboard":
                    noDashboard = true;
                    break;
                case "--datadog-otlp-endpoint":
                    datadogEndpoint = Uri.TryCreate(Value(), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" ? endpoint
                        : throw new ArgumentException("--datadog-otlp-endpoint needs an http:// or https:// URL, e.g. http://localhost:4318.");
                    break;
                case var option when portOptions.TryGetValue(option, out var resource):
                    ports[resource] = Port(option, Value());
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.");
            }
        }

        var connectionString = model.OfType<PostgresServerResource>()
            .Select(server => Environment.GetEnvironmentVariable($"ConnectionStrings__{server.Name}"))
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
        return new AppHostOptions(
            Path.GetFullPath(string.IsNullOrWhiteSpace(stateDirectory) ? StateFolder.DefaultPath() : stateDirectory),
            ports,
            connectionString,
            otlpEndpoint is null ? null : new OtlpExporter(otlpEndpoint, otlpProtocol),
            help)
        {
            Dashboard = noDashboard ? null : dashboard,
            DatadogOtlpEndpoint = datadogEndpoint,
            LocalPostgres = localPostgres,
        };
    }

    public static string Usage(AppModel model)
    {
        var portLines = PortResources(model).Select(resource =>
            $"  --{resource.Name}-port <port>".PadRight(34) +
            (resource is ProjectResource project ? $"HTTP port of {resource.Name} (default {project.HttpPort})" : $"port of {resource.Name} (default: a free one, chosen once and kept)"));
        var postgres = model.OfType<PostgresServerResource>().FirstOrDefault()?.Name ?? "postgres";
        var defaults = new DashboardOptions();
        return $"""
            Runs the whole application: PostgreSQL, then the services, wired together; Ctrl+C stops it.

            Usage: dotnet run --project NotesAspire.AppHost [-- options]
                   dotnet run --project NotesAspire.AppHost -- publish --output <dir>

            Options:
              --state-dir <path>              where PostgreSQL's data and password are kept
                                              (default {StateFolder.DefaultPath()}; also {StateDirectoryVariable})
            {string.Join(Environment.NewLine, portLines)}
              --local-postgres                run PostgreSQL from the machine's binaries even when Docker or Podman answers
              --dashboard-port <port>         the dashboard's pages and /api (default {defaults.Port})
              --otlp-grpc-port <port>         the dashboard's OTLP/gRPC receiver, where the services send (default {defaults.OtlpGrpcPort})
              --otlp-http-port <port>         the dashboard's OTLP/HTTP receiver (default {defaults.OtlpHttpPort})
              --dashboard-host <address>      where the dashboard listens (default {defaults.Host}); any other address
                                              asks for a token, printed in the login URL at start
              --no-dashboard                  no dashboard: the services send straight to the Datadog Agent, if one is
                                              set up (see below), else export nothing
              --otlp-endpoint <url>           send the services' telemetry there instead of the dashboard
              --otlp-protocol <protocol>      grpc (default) or http/protobuf
              --datadog-otlp-endpoint <url>   forward the telemetry the dashboard receives to this Datadog Agent OTLP/HTTP
                                              receiver (default: from DD_API_KEY or DD_AGENT_HOST, see below)
              -h, --help                      this text

            PostgreSQL, first that applies:
              1. an existing server: environment ConnectionStrings__{postgres}='Host=…;Port=…;Username=…;Password=…'
              2. the {PostgresServerResource.Image} image, when Docker or Podman answers (unless --local-postgres)
              3. a local server from the machine's PostgreSQL binaries, its data in the state folder

            Datadog, first that applies (the dashboard forwards what it receives; the services are unchanged):
              1. --datadog-otlp-endpoint <url>
              2. DD_API_KEY (and DD_SITE, default {DatadogAgent.DefaultSite}) with Docker or Podman answering: the AppHost
                 runs the {DatadogAgent.Image} container and forwards to it
              3. DD_AGENT_HOST: the agent installed on that host, its OTLP/HTTP receiver on port {DatadogAgent.OtlpHttpPort}
              otherwise telemetry stays in the dashboard.
            """;
    }

    private static int Port(string option, string value) =>
        int.TryParse(value, out var port) && port is > 0 and < 65536 ? port : throw new ArgumentException($"{option} needs a port number (1-65535).");

    private static IEnumerable<Resource> PortResources(AppModel model) =>
        model.Resources.Where(resource => resource is ProjectResource or PostgresServerResource);
}
