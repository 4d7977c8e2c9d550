using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Running;

namespace NotesAspire.AppHost.Hosting;

/// <summary>What the command line (and a few environment variables) ask of a run.</summary>
public sealed record AppHostOptions(
    string StateDirectory,
    IReadOnlyDictionary<string, int> Ports,
    string? PostgresConnectionString,
    OtlpExporter? Otlp,
    bool Help)
{
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
                case var option when portOptions.TryGetValue(option, out var resource):
                    ports[resource] = int.TryParse(Value(), out var port) && port is > 0 and < 65536 ? port
                        : throw new ArgumentException($"{option} needs a port number (1-65535).");
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
            help);
    }

    public static string Usage(AppModel model)
    {
        var portLines = PortResources(model).Select(resource =>
            $"  --{resource.Name}-port <port>".PadRight(34) +
            (resource is ProjectResource project ? $"HTTP port of {resource.Name} (default {project.HttpPort})" : $"port of {resource.Name} (default: a free one, chosen once and kept)"));
        var postgres = model.OfType<PostgresServerResource>().FirstOrDefault()?.Name ?? "postgres";
        return $"""
            Runs the whole application: PostgreSQL, then the services, wired together; Ctrl+C stops it.

            Usage: dotnet run --project NotesAspire.AppHost [-- options]
                   dotnet run --project NotesAspire.AppHost -- publish --output <dir>

            Options:
              --state-dir <path>              where PostgreSQL's data and password are kept
                                              (default {StateFolder.DefaultPath()}; also {StateDirectoryVariable})
            {string.Join(Environment.NewLine, portLines)}
              --otlp-endpoint <url>           send the services' telemetry there (e.g. a Datadog Agent's OTLP receiver)
              --otlp-protocol <protocol>      grpc (default) or http/protobuf
              -h, --help                      this text

            PostgreSQL, first that applies:
              1. an existing server: environment ConnectionStrings__{postgres}='Host=…;Port=…;Username=…;Password=…'
              2. the {PostgresServerResource.Image} image, when Docker or Podman answers
              3. a local server from the machine's PostgreSQL binaries, its data in the state folder
            """;
    }

    private static IEnumerable<Resource> PortResources(AppModel model) =>
        model.Resources.Where(resource => resource is ProjectResource or PostgresServerResource);
}
