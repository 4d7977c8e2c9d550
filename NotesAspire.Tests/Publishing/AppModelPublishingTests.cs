using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using NotesAspire.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace NotesAspire.Tests.Publishing;

/// <summary>
/// The publisher reads the app model, not a list of ours: resources added to the AppHost's model (here by the test, as
/// Program.cs would) appear in both outputs, through Aspire's real publishing pipeline run in-process.
/// </summary>
public sealed class AppModelPublishingTests : IDisposable
{
    private readonly TemporaryFolder _output = TemporaryFolder.Create("publish");

    [Fact]
    public async Task ADollarSignInTheModelReachesTheContainerAsItIs()
    {
        const string text = "costs 5$, not $HOME, ${HOME} or $(HOME); $$";
        await AppHostModel.PublishAsync(_output.Path, model => model.AddContainer("echo", "busybox", "1").WithEnvironment("PRICE", text).WithArgs("echo", text));

        var compose = await Publish.DockerComposeAsync(
            ["-f", Path.Combine(_output.Path, "docker-compose.yaml"), "config"],
            new Dictionary<string, string?> { ["DD_API_KEY"] = "key", ["POSTGRES_PASSWORD"] = "password", ["HOME"] = "/the-home" });
        Assert.True(compose.ExitCode == 0, compose.Error);
        Assert.DoesNotContain("/the-home", compose.Output);
        // `config` prints what it read with each $ doubled again, so that its output reads back the same.
        var echo = YamlFile.Parse(compose.Output).Single().Map("services").Map("echo");
        Assert.Equal(text, echo.Map("environment").Texts()["PRICE"].Replace("$$", "$"));
        Assert.Equal(["echo", text], echo.List("command").Select(item => item.ToString()!.Replace("$$", "$")));

        // The kubelet reads $(NAME) in env values and args, and $$ as one $.
        var container = YamlFile.Load(Path.Combine(_output.Path, "kubernetes", "echo.yaml")).Single(document => document.Text("kind") == "Deployment")
            .Map("spec").Map("template").Map("spec").List("containers").Children.Cast<YamlMappingNode>().Single();
        var escaped = text.Replace("$", "$$");
        Assert.Contains(container.List("env").Children.Cast<YamlMappingNode>(), variable => variable.Text("name") == "PRICE" && variable.Text("value") == escaped);
        Assert.Equal(["echo", escaped], container.List("args").Select(item => item.ToString()));
    }

    [Fact]
    public async Task AProjectAndContainersAddedToTheModelAreDeployedByComposeAndKubernetes()
    {
        await AppHostModel.PublishAsync(_output.Path, model =>
        {
            var cache = model.AddContainer("cache", "valkey/valkey", "8")
                .WithEndpoint(targetPort: 6379, name: "tcp", scheme: "tcp")
                .WithVolume("cache-data", "/data")
                .WithArgs("--save", "60", "1");
            model.AddProject("reports", Path.Combine(Repository.Root, "NotesAspire.Calendar", "NotesAspire.Calendar.csproj"))
                .WithHttpEndpoint(port: 7070)
                .WithHttpHealthCheck("/health")
                .WithReference(cache.GetEndpoint("tcp")).WaitFor(cache);
            model.AddDockerfile("tools", Repository.Root, "NotesAspire.Calendar/Dockerfile").WithBuildArg("DD_ENV", "test");
        });

        var services = YamlFile.Load(Path.Combine(_output.Path, "docker-compose.yaml")).Single().Map("services");
        Assert.Equal(["datadog-agent", "postgres", "calendar", "notes", "cache", "reports", "tools"], services.Keys());

        var reports = services.Map("reports");
        var environment = reports.Map("environment").Texts();
        Assert.Equal("notesaspire-reports:0.1.0", reports.Text("image"));
        Assert.Equal("NotesAspire.Calendar/Dockerfile", reports.Map("build").Text("dockerfile"));
        Assert.Equal(["7070:7070"], reports.List("ports").Select(item => item.ToString()));
        Assert.Equal("tcp://cache:6379", environment["services__cache__tcp__0"]);
        Assert.Equal("reports", environment["DD_SERVICE"]);
        Assert.Equal("http://datadog-agent:4318", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("reports", reports.Map("labels").Texts()["com.datadoghq.tags.service"]);
        Assert.Equal("service_started", reports.Map("depends_on").Map("cache").Text("condition"));
        Assert.Contains("GET /health ", string.Join(' ', reports.Map("healthcheck").List("test").Select(item => item.ToString())));

        var cacheService = services.Map("cache");
        Assert.Equal("valkey/valkey:8", cacheService.Text("image"));
        Assert.Equal(["--save", "60", "1"], cacheService.List("command").Select(item => item.ToString()));
        Assert.Equal(["cache-data:/data"], cacheService.List("volumes").Select(item => item.ToString()));

        var tools = services.Map("tools").Map("build");
        Assert.Equal("NotesAspire.Calendar/Dockerfile", tools.Text("dockerfile"));
        Assert.Equal(Repository.Root, Path.GetFullPath(Path.Combine(_output.Path, tools.Text("context"))));
        Assert.Equal("test", tools.Map("args").Texts()["DD_ENV"]);

        var kubernetes = Path.Combine(_output.Path, "kubernetes");
        var kustomization = YamlFile.Load(Path.Combine(kubernetes, "kustomization.yaml")).Single();
        Assert.Equal(["postgres.yaml", "calendar.yaml", "notes.yaml", "cache.yaml", "reports.yaml", "tools.yaml"],
            kustomization.List("resources").Select(item => item.ToString()));

        var deployment = YamlFile.Load(Path.Combine(kubernetes, "reports.yaml")).Single(document => document.Text("kind") == "Deployment");
        Assert.Equal("reports", deployment.Map("metadata").Map("labels").Texts()["tags.datadoghq.com/service"]);
        var container = Assert.IsType<YamlMappingNode>(Assert.Single(deployment.Map("spec").Map("template").Map("spec").List("containers")));
        var variables = container.List("env").Cast<YamlMappingNode>().ToDictionary(variable => variable.Text("name"));
        Assert.Equal("tcp://cache:6379", variables["services__cache__tcp__0"].Text("value"));
        Assert.Equal("status.hostIP", variables["DD_AGENT_HOST"].Map("valueFrom").Map("fieldRef").Text("fieldPath"));

        var cacheSet = YamlFile.Load(Path.Combine(kubernetes, "cache.yaml")).Single(document => document.Text("kind") == "StatefulSet");
        Assert.Equal("data", Assert.IsType<YamlMappingNode>(Assert.Single(cacheSet.Map("spec").List("volumeClaimTemplates"))).Map("metadata").Text("name"));
    }

    public void Dispose() => _output.Dispose();
}
