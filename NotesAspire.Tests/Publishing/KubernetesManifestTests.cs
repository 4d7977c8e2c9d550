using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace NotesAspire.Tests.Publishing;

public sealed partial class KubernetesManifestTests
{
    private readonly IReadOnlyList<(string File, YamlMappingNode Document)> _manifests =
        Directory.EnumerateFiles(DeployFolder.KubernetesFolder, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(file => YamlFile.Load(file).Select(document => (Path.GetFileName(file), document)))
            .ToList();

    [Fact]
    public void EveryManifestParsesAndNamesItsApiVersionKindAndName()
    {
        Assert.NotEmpty(_manifests);
        Assert.All(_manifests, manifest =>
        {
            Assert.NotEmpty(manifest.Document.Text("apiVersion"));
            Assert.NotEmpty(manifest.Document.Text("kind"));
            Assert.NotEmpty(manifest.Document.Map("metadata").Text("name"));
        });
    }

    [Fact]
    public void TheKustomizationListsEveryOtherManifest()
    {
        var kustomization = Single("Kustomization");

        Assert.Equal(
            _manifests.Select(manifest => manifest.File).Where(file => file != "kustomization.yaml").Distinct().Order(StringComparer.Ordinal),
            kustomization.List("resources").Select(item => item.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void DeploymentsCarryUnifiedServiceTagLabelsOnThemselvesAndTheirPods(string service)
    {
        var deployment = Workload("Deployment", service);
        var environment = Environment(deployment);

        foreach (var labels in new[] { deployment.Map("metadata").Map("labels"), PodTemplate(deployment).Map("metadata").Map("labels") })
        {
            var tags = labels.Texts();
            Assert.Equal(service, tags["tags.datadoghq.com/service"]);
            Assert.Equal(environment["DD_ENV"], tags["tags.datadoghq.com/env"]);
            Assert.Equal(environment["DD_VERSION"], tags["tags.datadoghq.com/version"]);
        }

        Assert.NotEmpty(environment["DD_ENV"]!);
        Assert.NotEmpty(environment["DD_VERSION"]!);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void ServicesSendTelemetryToTheAgentOnTheirNode(string service)
    {
        var variables = Container(Workload("Deployment", service)).List("env").Cast<YamlMappingNode>().ToList();
        var agentHost = variables.Single(variable => variable.Text("name") == "DD_AGENT_HOST");

        Assert.Equal("status.hostIP", agentHost.Map("valueFrom").Map("fieldRef").Text("fieldPath"));
        Assert.Equal("http://$(DD_AGENT_HOST):4318", Environment(Workload("Deployment", service))["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    public void VariablesAreDefinedBeforeTheKubeletSubstitutesThem()
    {
        foreach (var workload in _manifests.Select(manifest => manifest.Document).Where(IsWorkload))
        {
            var defined = new HashSet<string>();
            foreach (var variable in Container(workload).List("env").Cast<YamlMappingNode>())
            {
                var value = Scalars(variable).GetValueOrDefault("value") ?? "";
                Assert.All(Substitution().Matches(value), reference => Assert.Contains(reference.Groups[1].Value, defined));
                defined.Add(variable.Text("name"));
            }
        }
    }

    [Fact]
    public void PasswordsComeFromTheSecretCreatedOutsideTheManifests()
    {
        Assert.DoesNotContain(_manifests, manifest => manifest.Document.Text("kind") == "Secret");

        var notes = Environment(Workload("Deployment", "notes"));
        Assert.Null(notes["POSTGRES_PASSWORD"]);
        Assert.Contains(";Password=$(POSTGRES_PASSWORD);", notes["ConnectionStrings__notesdb"]);

        foreach (var workload in new[] { Workload("Deployment", "notes"), Workload("StatefulSet", "postgres") })
        {
            var password = Container(workload).List("env").Cast<YamlMappingNode>().Single(variable => variable.Text("name") == "POSTGRES_PASSWORD");
            var secret = password.Map("valueFrom").Map("secretKeyRef");
            Assert.Equal("notesaspire-secrets", secret.Text("name"));
            Assert.Equal("postgres-password", secret.Text("key"));
        }
    }

    [Fact]
    public void PostgresKeepsItsDataOnAPersistentVolume()
    {
        var postgres = Workload("StatefulSet", "postgres");
        var claim = Assert.IsType<YamlMappingNode>(Assert.Single(postgres.Map("spec").List("volumeClaimTemplates")));
        var mount = Assert.IsType<YamlMappingNode>(Assert.Single(Container(postgres).List("volumeMounts")));

        Assert.Equal(claim.Map("metadata").Text("name"), mount.Text("name"));
        Assert.Equal("/var/lib/postgresql", mount.Text("mountPath"));
        Assert.Equal("notesdb", Environment(postgres)["POSTGRES_DB"]);
        Assert.Contains("pg_isready", Container(postgres).Map("readinessProbe").Map("exec").List("command").Select(item => item.ToString()));
    }

    [Fact]
    public void TheAgentIsDatadogsHelmChartWithTheOtlpReceiverOnTheNode()
    {
        Assert.DoesNotContain(_manifests, manifest => manifest.Document.Map("metadata").Text("name") == "datadog-agent");

        var values = YamlFile.Load(Path.Combine(DeployFolder.Path, "datadog-values.yaml")).Single().Map("datadog");
        var grpc = values.Map("otlp").Map("receiver").Map("protocols").Map("grpc");
        Assert.Equal("datadog-secret", values.Text("apiKeyExistingSecret"));
        Assert.Equal("datadoghq.com", values.Text("site"));
        Assert.Equal("0.0.0.0:4317", grpc.Text("endpoint"));
        Assert.Equal("true", grpc.Text("useHostPort"));
        Assert.Equal("true", values.Map("apm").Text("portEnabled"));
    }

    [Fact]
    public void EveryServiceSelectsThePodsOfTheWorkloadOfItsName()
    {
        foreach (var service in _manifests.Select(manifest => manifest.Document).Where(document => document.Text("kind") == "Service"))
        {
            var name = service.Map("metadata").Text("name");
            var workload = _manifests.Select(manifest => manifest.Document)
                .Single(document => IsWorkload(document) && document.Map("metadata").Text("name") == name);
            var podLabels = PodTemplate(workload).Map("metadata").Map("labels").Texts();

            Assert.All(service.Map("spec").Map("selector").Texts(), selector => Assert.Contains(selector, podLabels));
            Assert.All(workload.Map("spec").Map("selector").Map("matchLabels").Texts(), selector => Assert.Contains(selector, podLabels));
        }
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("calendar")]
    public void ServicesAreProbedOnTheirHealthEndpointsAndNotKilledWhileTheyStart(string service)
    {
        var container = Container(Workload("Deployment", service));
        var startup = container.Map("startupProbe");

        Assert.Equal("/health", container.Map("readinessProbe").Map("httpGet").Text("path"));
        Assert.Equal("/alive", container.Map("livenessProbe").Map("httpGet").Text("path"));
        // Notes answers once its schema is made, which waits for PostgreSQL's first start on a new cluster.
        Assert.Equal("/alive", startup.Map("httpGet").Text("path"));
        Assert.Equal(300, int.Parse(startup.Text("periodSeconds")) * int.Parse(startup.Text("failureThreshold")));
    }

    private YamlMappingNode Single(string kind) => _manifests.Select(manifest => manifest.Document).Single(document => document.Text("kind") == kind);

    private YamlMappingNode Workload(string kind, string name) =>
        _manifests.Select(manifest => manifest.Document)
            .Single(document => document.Text("kind") == kind && document.Map("metadata").Text("name") == name);

    private static bool IsWorkload(YamlMappingNode document) => document.Text("kind") is "Deployment" or "StatefulSet";

    private static YamlMappingNode PodTemplate(YamlMappingNode workload) => workload.Map("spec").Map("template");

    private static YamlMappingNode Container(YamlMappingNode workload) =>
        Assert.IsType<YamlMappingNode>(Assert.Single(PodTemplate(workload).Map("spec").List("containers")));

    /// <summary>The container's variables by name: the value, or null for one taken from elsewhere (valueFrom).</summary>
    private static Dictionary<string, string?> Environment(YamlMappingNode workload) =>
        Container(workload).List("env").Cast<YamlMappingNode>()
            .ToDictionary(variable => variable.Text("name"), variable => Scalars(variable).GetValueOrDefault("value"));

    private static Dictionary<string, string> Scalars(YamlMappingNode node) =>
        node.Children.Where(pair => pair.Value is YamlScalarNode).ToDictionary(pair => pair.Key.ToString(), pair => pair.Value.ToString());

    [GeneratedRegex(@"\$\((\w+)\)")]
    private static partial Regex Substitution();
}
