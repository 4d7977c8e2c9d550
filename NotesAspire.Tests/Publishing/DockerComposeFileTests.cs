using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace NotesAspire.Tests.Publishing;

/// <summary>The committed docker-compose.yaml and .env (equal to a fresh publish: see <see cref="PublishCommandTests"/>).</summary>
public sealed partial class DockerComposeFileTests
{
    private const string AgentService = "datadog-agent";

    /// <summary>What a user puts in .env; the committed .env leaves them empty.</summary>
    private static readonly Dictionary<string, string?> s_filledInEnvironment = new()
    {
        ["DD_API_KEY"] = "test-api-key",
        ["POSTGRES_PASSWORD"] = "test-password",
    };

    private readonly YamlMappingNode _compose = YamlFile.Load(DeployFolder.ComposeFile).Single();

    private YamlMappingNode Services => _compose.Map("services");

    [Fact]
    public async Task ComposeAcceptsTheFileOnceTheEnvFileIsFilledIn()
    {
        var result = await Publish.DockerComposeAsync(["-f", DeployFolder.ComposeFile, "config"], s_filledInEnvironment);

        Assert.True(result.ExitCode == 0, $"docker-compose config failed ({result.ExitCode}):\n{result.Error}");
        Assert.Contains("Password=test-password;", result.Output);
        Assert.Contains("DD_API_KEY: test-api-key", result.Output);
    }

    [Fact]
    public async Task ComposeRefusesTheFileWhileTheApiKeyOrPasswordIsMissing()
    {
        var unset = s_filledInEnvironment.Keys.ToDictionary(name => name, _ => (string?)null);

        var result = await Publish.DockerComposeAsync(["-f", DeployFolder.ComposeFile, "config"], unset);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches("export (DD_API_KEY|POSTGRES_PASSWORD)", result.Error);
    }

    [Fact]
    public void SecretsAreVariablesThatTheEnvFileLeavesEmpty()
    {
        foreach (var service in Services.Keys())
        {
            foreach (var (name, value) in Environment(service))
            {
                if (SecretName().IsMatch(name))
                {
                    Assert.Matches(@"^\$\{\w+:[?-][^}]*\}$", value);
                }

                if (value.Contains("Password=", StringComparison.Ordinal))
                {
                    Assert.Matches(@"Password=\$\{\w+:\?[^}]+\};", value);
                }
            }
        }

        var envFile = File.ReadAllLines(Path.Combine(DeployFolder.Path, ".env"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.All(envFile.Where(pair => SecretName().IsMatch(pair.Key)), pair => Assert.Equal("", pair.Value));
        Assert.Equal("notesaspire", envFile["COMPOSE_PROJECT_NAME"]);
        Assert.Equal("datadoghq.com", envFile["DD_SITE"]);
        Assert.Contains("DD_API_KEY", envFile.Keys);
        Assert.Contains("POSTGRES_PASSWORD", envFile.Keys);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void ServicesCarryUnifiedServiceTagsAsVariablesAndLabels(string service)
    {
        var environment = Environment(service);
        var labels = Services.Map(service).Map("labels").Texts();

        Assert.Equal(service, environment["DD_SERVICE"]);
        Assert.Equal(service, labels["com.datadoghq.tags.service"]);
        Assert.Equal(environment["DD_ENV"], labels["com.datadoghq.tags.env"]);
        Assert.Equal(environment["DD_VERSION"], labels["com.datadoghq.tags.version"]);
        Assert.Equal("dev", environment["DD_ENV"]);
        Assert.Equal("0.1.0", environment["DD_VERSION"]);
        Assert.Equal($"notesaspire-{service}:0.1.0", Services.Map(service).Text("image"));
    }

    [Fact]
    public void NotesWaitsForAHealthyDatabaseAndCalendar()
    {
        var dependsOn = Services.Map("notes").Map("depends_on");

        Assert.Equal("service_healthy", dependsOn.Map("postgres").Text("condition"));
        Assert.Equal("service_healthy", dependsOn.Map("calendar").Text("condition"));
        Assert.Equal("service_started", dependsOn.Map(AgentService).Text("condition"));
        Assert.Contains("pg_isready", HealthCheck("postgres"));
        Assert.Contains("GET /health ", HealthCheck("calendar"));
    }

    [Fact]
    public void NotesReachesItsDatabaseAndCalendarByServiceName()
    {
        var environment = Environment("notes");

        Assert.StartsWith("Host=postgres;Port=5432;", environment["ConnectionStrings__notesdb"]);
        Assert.EndsWith(";Database=notesdb", environment["ConnectionStrings__notesdb"]);
        Assert.Equal("http://calendar:9090", environment["services__calendar__http__0"]);
        Assert.Equal("notesdb", Environment("postgres")["POSTGRES_DB"]);
    }

    [Theory]
    [InlineData("notes", "8080")]
    [InlineData("calendar", "9090")]
    public void ServicesListenOnAndPublishTheTutorialsPorts(string service, string port)
    {
        Assert.Equal([$"{port}:{port}"], Services.Map(service).List("ports").Select(item => item.ToString()));
        Assert.Equal(port, Environment(service)["HTTP_PORTS"]);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void ServicesSendTelemetryToTheAgentsOtlpReceiver(string service)
    {
        var receiver = Environment(AgentService)["DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT"];
        var port = receiver[(receiver.LastIndexOf(':') + 1)..];

        Assert.Equal($"http://{AgentService}:{port}", Environment(service)["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", Environment(service)["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal(AgentService, Environment(service)["DD_AGENT_HOST"]);
        Assert.StartsWith("0.0.0.0:", receiver);
    }

    [Fact]
    public void TheAgentRunsApmWithTheTutorialsMounts()
    {
        var agent = Services.Map(AgentService);
        var environment = Environment(AgentService);

        Assert.Equal("gcr.io/datadoghq/agent:7", agent.Text("image"));
        Assert.Equal("true", environment["DD_APM_ENABLED"]);
        Assert.Equal("true", environment["DD_APM_NON_LOCAL_TRAFFIC"]);
        Assert.Equal("${DD_SITE:-datadoghq.com}", environment["DD_SITE"]);
        Assert.Equal(
            ["/var/run/docker.sock:/var/run/docker.sock:ro", "/proc/:/host/proc/:ro", "/sys/fs/cgroup/:/host/sys/fs/cgroup:ro"],
            agent.List("volumes").Select(item => item.ToString()));
    }

    [Fact]
    public void PostgresKeepsItsDataInANamedVolumeWhoseNameDoesNotDependOnTheCheckout()
    {
        var volume = Services.Map("postgres").List("volumes").Single().ToString();

        Assert.Equal("postgres-data:/var/lib/postgresql", volume);
        Assert.Equal(["postgres-data"], _compose.Map("volumes").Keys());
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void EachServiceIsBuiltByItsProjectsMultiStageDockerfileAsANonRootUser(string service)
    {
        var build = Services.Map(service).Map("build");
        var dockerfile = File.ReadAllText(Path.Combine(DeployFolder.Path, build.Text("context"), build.Text("dockerfile")));
        var port = Environment(service)["HTTP_PORTS"];

        Assert.Equal("..", build.Text("context"));
        Assert.Contains($"DD_SERVICE={service} ", dockerfile);
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={port} ", dockerfile);
        Assert.Contains($"EXPOSE {port}\n", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:", dockerfile);
        Assert.Contains("COPY --from=build ", dockerfile);
        Assert.Contains("USER $APP_UID\n", dockerfile);
        Assert.Equal(["DD_ENV", "DD_VERSION"], build.Map("args").Keys());
    }

    private string HealthCheck(string service) =>
        string.Join(' ', Services.Map(service).Map("healthcheck").List("test").Select(item => item.ToString()));

    private Dictionary<string, string> Environment(string service) => Services.Map(service).Map("environment").Texts();

    [GeneratedRegex("KEY|PASSWORD|SECRET|TOKEN")]
    private static partial Regex SecretName();
}
