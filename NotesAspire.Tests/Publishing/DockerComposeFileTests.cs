using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace NotesAspire.Tests.Publishing;

public sealed partial class DockerComposeFileTests
{
    private const string AgentService = "datadog-agent";

    /// <summary>What a user puts in .env; the committed .env leaves them empty.</summary>
    private static readonly Dictionary<string, string?> s_filledInEnvironment = new()
    {
        ["DD_API_KEY"] = "test-api-key",
        ["POSTGRES_PASSWORD"] = "test-password",
    };

    private readonly YamlMappingNode _services = YamlFile.Load(DeployFolder.ComposeFile).Single().Map("services");

    [Fact]
    public async Task ComposeAcceptsTheFileOnceTheEnvFileIsFilledIn()
    {
        var result = await CommandLine.DockerComposeAsync(["-f", DeployFolder.ComposeFile, "config"], s_filledInEnvironment);

        Assert.True(result.ExitCode == 0, $"docker-compose config failed ({result.ExitCode}):\n{result.Error}");
        Assert.Contains("Password=test-password;", result.Output);
    }

    [Fact]
    public async Task ComposeRefusesTheFileWhileTheApiKeyOrPasswordIsMissing()
    {
        var unset = s_filledInEnvironment.Keys.ToDictionary(name => name, _ => (string?)null);

        var result = await CommandLine.DockerComposeAsync(["-f", DeployFolder.ComposeFile, "config"], unset);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches("set (DD_API_KEY|POSTGRES_PASSWORD) in .env", result.Error);
    }

    [Fact]
    public void NoSecretValueIsInTheComposeFileOrTheEnvFile()
    {
        foreach (var service in _services.Keys())
        {
            foreach (var (name, value) in Environment(service))
            {
                if (SecretName().IsMatch(name))
                {
                    Assert.Matches(@"^\$\{\w+:\?[^}]+\}$", value);
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
        Assert.Contains("DD_API_KEY", envFile.Keys);
        Assert.Contains("POSTGRES_PASSWORD", envFile.Keys);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void ServicesCarryUnifiedServiceTagsAsVariablesAndLabels(string service)
    {
        var environment = Environment(service);
        var labels = _services.Map(service).Map("labels").Texts();

        Assert.Equal(service, environment["DD_SERVICE"]);
        Assert.Equal(service, labels["com.datadoghq.tags.service"]);
        Assert.Equal(environment["DD_ENV"], labels["com.datadoghq.tags.env"]);
        Assert.Equal(environment["DD_VERSION"], labels["com.datadoghq.tags.version"]);
        Assert.NotEmpty(environment["DD_ENV"]);
        Assert.NotEmpty(environment["DD_VERSION"]);
    }

    [Fact]
    public void NotesWaitsForAHealthyDatabaseAndCalendar()
    {
        var dependsOn = _services.Map("notes").Map("depends_on");

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
    }

    [Theory]
    [InlineData("notes", "8080:8080")]
    [InlineData("calendar", "9090:9090")]
    public void ServicesPublishTheTutorialsPorts(string service, string port)
    {
        Assert.Equal([port], _services.Map(service).List("ports").Select(item => item.ToString()));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void ServicesSendTelemetryToTheAgentsOtlpReceiver(string service)
    {
        var receiver = Environment(AgentService)["DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT"];
        var port = receiver[(receiver.LastIndexOf(':') + 1)..];

        Assert.Equal($"http://{AgentService}:{port}", Environment(service)["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", Environment(service)["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.StartsWith("0.0.0.0:", receiver);
    }

    [Fact]
    public void TheAgentRunsApmWithTheTutorialsMounts()
    {
        var agent = _services.Map(AgentService);
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
    public void PostgresKeepsItsDataInANamedVolume()
    {
        var volume = _services.Map("postgres").List("volumes").Single().ToString();

        Assert.EndsWith(":/var/lib/postgresql/data", volume);
        Assert.Contains(volume.Split(':')[0], YamlFile.Load(DeployFolder.ComposeFile).Single().Map("volumes").Keys());
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void EachServiceIsBuiltByItsProjectsDockerfileAsANonRootUser(string service)
    {
        var build = _services.Map(service).Map("build");
        var dockerfile = File.ReadAllText(Path.Combine(DeployFolder.Path, build.Text("context"), build.Text("dockerfile")));
        var port = Environment(service)["ASPNETCORE_HTTP_PORTS"];

        Assert.Contains($"DD_SERVICE={service} ", dockerfile);
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={port} ", dockerfile);
        Assert.Contains($"EXPOSE {port}\n", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:", dockerfile);
        Assert.Contains("USER $APP_UID\n", dockerfile);
        Assert.Equal(["DD_ENV", "DD_VERSION"], build.Map("args").Keys());
    }

    private string HealthCheck(string service) =>
        string.Join(' ', _services.Map(service).Map("healthcheck").List("test").Select(item => item.ToString()));

    private Dictionary<string, string> Environment(string service) => _services.Map(service).Map("environment").Texts();

    [GeneratedRegex("KEY|PASSWORD|SECRET|TOKEN")]
    private static partial Regex SecretName();
}
