using NotesAspire.AppHost.Datadog;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Publishing.Yaml;

namespace NotesAspire.AppHost.Publishing.Kubernetes;

/// <summary>
/// Kubernetes manifests for the same application, one file per resource plus a kustomization listing them
/// (<c>kubectl apply -k</c>), and the Datadog Helm chart's values for the node agent the services send telemetry to.
/// No namespace is set, so the application goes where kubectl points.
/// </summary>
internal static class KubernetesWriter
{
    private const string Folder = "kubernetes";
    private const string HelmValuesFileName = "datadog-values.yaml";

    private const string NameLabel = "app.kubernetes.io/name";
    private const string PartOfLabel = "app.kubernetes.io/part-of";
    private const string PasswordKey = "password";

    public static IEnumerable<GeneratedFile> Write(AppModel model)
    {
        var resolver = new ServiceNameResolver(server => $"$({PublishConventions.PasswordVariable(server)})");
        var files = new List<string>();

        foreach (var resource in model.Resources)
        {
            YamlMap[] documents = resource switch
            {
                PostgresServerResource server => [Service(server.Name, "postgres", PostgresServerResource.ContainerPort, headless: true), Postgres(server)],
                ProjectResource project => [Service(project.Name, "http", project.HttpPort, headless: false), Deployment(project, model.Tags, resolver)],
                _ => [],
            };

            if (documents.Length > 0)
            {
                var fileName = $"{resource.Name}.yaml";
                files.Add(fileName);
                yield return new GeneratedFile($"{Folder}/{fileName}", YamlWriter.Write(PublishConventions.Header, documents));
            }
        }

        var kustomization = new YamlMap
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["metadata"] = new YamlMap { ["name"] = PublishConventions.ApplicationName },
            ["resources"] = new YamlList(files),
        };
        string[] header = [.. PublishConventions.Header, "kubectl apply -k . (after creating the secrets and installing the Datadog Agent: see the README)"];
        yield return new GeneratedFile($"{Folder}/kustomization.yaml", YamlWriter.Write(header, kustomization));
        yield return new GeneratedFile(HelmValuesFileName, HelmValues());
    }

    private static YamlMap Service(string name, string portName, int port, bool headless)
    {
        var spec = new YamlMap();
        if (headless)
        {
            // The StatefulSet's governing Service: the name resolves to the pod itself.
            spec["clusterIP"] = "None";
        }

        spec["selector"] = new YamlMap { [NameLabel] = name };
        spec["ports"] = new YamlList { new YamlMap { ["name"] = portName, ["port"] = port, ["targetPort"] = portName } };
        return new YamlMap
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new YamlMap { ["name"] = name, ["labels"] = Labels(name) },
            ["spec"] = spec,
        };
    }

    private static YamlMap Postgres(PostgresServerResource server)
    {
        var database = PublishConventions.InitialDatabase(server);
        var env = new YamlList { SecretVariable("POSTGRES_PASSWORD", server) };
        var ready = new YamlList { "pg_isready", "-U", PostgresServerResource.UserName };
        if (database is not null)
        {
            env.Add(Variable("POSTGRES_DB", database.DatabaseName));
            ready.AddRange(["-d", database.DatabaseName]);
        }

        // A volume's root may hold lost+found, which initdb refuses: the data goes one folder down.
        env.Add(Variable("PGDATA", "/var/lib/postgresql/data/pgdata"));

        return new YamlMap
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new YamlMap { ["name"] = server.Name, ["labels"] = Labels(server.Name) },
            ["spec"] = new YamlMap
            {
                ["serviceName"] = server.Name,
                ["replicas"] = 1,
                ["selector"] = new YamlMap { ["matchLabels"] = new YamlMap { [NameLabel] = server.Name } },
                ["template"] = new YamlMap
                {
                    ["metadata"] = new YamlMap { ["labels"] = Labels(server.Name) },
                    ["spec"] = new YamlMap
                    {
                        ["containers"] = new YamlList
                        {
                            new YamlMap
                            {
                                ["name"] = server.Name,
                                ["image"] = PostgresServerResource.Image,
                                ["ports"] = new YamlList { new YamlMap { ["name"] = "postgres", ["containerPort"] = PostgresServerResource.ContainerPort } },
                                ["env"] = env,
                                ["volumeMounts"] = new YamlList { new YamlMap { ["name"] = "data", ["mountPath"] = "/var/lib/postgresql/data" } },
                                ["readinessProbe"] = new YamlMap
                                {
                                    ["exec"] = new YamlMap { ["command"] = ready },
                                    ["periodSeconds"] = 5,
                                },
                            },
                        },
                    },
                },
                ["volumeClaimTemplates"] = new YamlList
                {
                    new YamlMap
                    {
                        ["metadata"] = new YamlMap { ["name"] = "data" },
                        ["spec"] = new YamlMap
                        {
                            ["accessModes"] = new YamlList { "ReadWriteOnce" },
                            ["resources"] = new YamlMap { ["requests"] = new YamlMap { ["storage"] = "1Gi" } },
                        },
                    },
                },
            },
        };
    }

    private static YamlMap Deployment(ProjectResource project, ServiceTags tags, IEndpointResolver resolver)
    {
        var labels = Labels(project.Name);
        labels[DatadogAgent.KubernetesTagLabelPrefix + "service"] = project.Name;
        labels[DatadogAgent.KubernetesTagLabelPrefix + "env"] = tags.Env;
        labels[DatadogAgent.KubernetesTagLabelPrefix + "version"] = tags.Version;

        // The kubelet substitutes $(NAME) only with variables listed earlier: the node's address and the secrets come first.
        var env = new YamlList
        {
            new YamlMap
            {
                ["name"] = DatadogAgent.AgentHostVariable,
                ["valueFrom"] = new YamlMap { ["fieldRef"] = new YamlMap { ["fieldPath"] = "status.hostIP" } },
            },
        };
        env.AddRange(project.References.OfType<PostgresDatabaseResource>().Select(database => database.Server).Distinct()
            .Select(server => SecretVariable(PublishConventions.PasswordVariable(server), server)));
        env.AddRange(PublishConventions.ContainerEnvironment(project, tags, resolver, $"$({DatadogAgent.AgentHostVariable})")
            .Select(pair => Variable(pair.Key, pair.Value)));

        return new YamlMap
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new YamlMap { ["name"] = project.Name, ["labels"] = labels },
            ["spec"] = new YamlMap
            {
                ["replicas"] = 1,
                ["selector"] = new YamlMap { ["matchLabels"] = new YamlMap { [NameLabel] = project.Name } },
                ["template"] = new YamlMap
                {
                    ["metadata"] = new YamlMap { ["labels"] = labels },
                    ["spec"] = new YamlMap
                    {
                        ["containers"] = new YamlList
                        {
                            new YamlMap
                            {
                                ["name"] = project.Name,
                                ["image"] = PublishConventions.Image(project, tags),
                                // Lets images loaded into the cluster's nodes (kind, minikube) run without a registry.
                                ["imagePullPolicy"] = "IfNotPresent",
                                ["ports"] = new YamlList { new YamlMap { ["name"] = "http", ["containerPort"] = project.HttpPort } },
                                ["env"] = env,
                                ["readinessProbe"] = Probe(PublishConventions.HealthPath),
                                ["livenessProbe"] = Probe(PublishConventions.AlivePath),
                                ["securityContext"] = new YamlMap
                                {
                                    ["runAsNonRoot"] = true,
                                    ["allowPrivilegeEscalation"] = false,
                                },
                            },
                        },
                    },
                },
            },
        };
    }

    private static YamlMap Probe(string path) => new()
    {
        ["httpGet"] = new YamlMap { ["path"] = path, ["port"] = "http" },
        ["periodSeconds"] = 10,
    };

    private static YamlMap Labels(string name) => new()
    {
        [NameLabel] = name,
        [PartOfLabel] = PublishConventions.ApplicationName,
    };

    private static YamlMap Variable(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static YamlMap SecretVariable(string name, PostgresServerResource server) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new YamlMap
        {
            ["secretKeyRef"] = new YamlMap { ["name"] = CredentialsSecret(server), ["key"] = PasswordKey },
        },
    };

    /// <summary>Created by hand (see the README), so that no password is ever in a manifest or in git.</summary>
    private static string CredentialsSecret(PostgresServerResource server) => $"{server.Name}-credentials";

    /// <summary>
    /// The Datadog chart's values: the node agent's OTLP/gRPC receiver on a host port, which the pods reach at their node's
    /// address (DD_AGENT_HOST from status.hostIP), as Datadog documents for agents installed as a DaemonSet.
    /// </summary>
    private static string HelmValues()
    {
        var values = new YamlMap
        {
            ["datadog"] = new YamlMap
            {
                ["apiKeyExistingSecret"] = new Commented("kubectl create secret generic datadog-secret --from-literal api-key=<your API key>",
                    "datadog-secret"),
                ["site"] = new Commented("Your account's site, if not this one: add --set datadog.site=datadoghq.eu (or us3, us5, ap1...) to helm install.",
                    "datadoghq.com"),
                ["apm"] = new YamlMap { ["portEnabled"] = true },
                ["logs"] = new YamlMap { ["enabled"] = true },
                ["otlp"] = new YamlMap
                {
                    ["receiver"] = new YamlMap
                    {
                        ["protocols"] = new YamlMap
                        {
                            ["grpc"] = new YamlMap
                            {
                                ["enabled"] = true,
                                ["endpoint"] = DatadogAgent.OtlpGrpcEndpoint,
                                ["useHostPort"] = true,
                            },
                        },
                    },
                    ["logs"] = new YamlMap { ["enabled"] = true },
                },
            },
        };
        string[] header =
        [
            .. PublishConventions.Header,
            "Values for Datadog's Helm chart: helm install datadog-agent datadog/datadog -f datadog-values.yaml",
        ];
        return YamlWriter.Write(header, values);
    }
}
