using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Publishing.Model;
using NotesAspire.AppHost.Publishing.Yaml;

namespace NotesAspire.AppHost.Publishing.Kubernetes;

/// <summary>
/// Kubernetes manifests of the same application: per deployed resource a Service (a host of its name in the namespace) and a
/// Deployment, or a StatefulSet with a volume claim when it keeps data in a volume; a kustomization listing them
/// (<c>kubectl apply -k</c>). No namespace is set, so the application goes where kubectl points. Parameters come from one
/// Secret created by hand, so no value is ever in a manifest. Datadog's agent is the Helm chart's (see <see cref="DatadogHelmValuesWriter"/>).
/// </summary>
internal static class KubernetesWriter
{
    public const string Folder = "kubernetes";

    private const string NameLabel = "app.kubernetes.io/name";
    private const string PartOfLabel = "app.kubernetes.io/part-of";

    public static IEnumerable<GeneratedFile> Write(IReadOnlyList<DeployedResource> resources, DeploymentConventions conventions)
    {
        var agent = resources.FirstOrDefault(DatadogConventions.IsAgent);
        var files = new List<string>();
        foreach (var resource in resources.Where(resource => resource != agent))
        {
            var stateful = resource.Mounts.Any(mount => mount.Type == ContainerMountType.Volume);
            var documents = new List<object>();
            if (resource.Endpoints.Count > 0)
            {
                documents.Add(Service(resource, conventions, headless: stateful));
            }

            documents.Add(Workload(resource, agent, conventions, stateful));
            var fileName = $"{resource.Name}.yaml";
            files.Add(fileName);
            yield return new GeneratedFile($"{Folder}/{fileName}", YamlDocuments.Write([DeploymentConventions.GeneratedBy], documents));
        }

        var kustomization = new YamlMap
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["metadata"] = new YamlMap { ["name"] = conventions.ApplicationName },
            ["resources"] = files,
        };
        var parameters = ParameterConventions.Used(resources.Where(resource => resource != agent))
            .Where(parameter => ParameterConventions.DefaultValue(parameter) is null).ToList();
        var header = new List<string> { DeploymentConventions.GeneratedBy };
        if (parameters.Count > 0)
        {
            header.Add("First the secret of the parameters, e.g. with a fresh password:");
            header.Add($"  kubectl create secret generic {SecretName(conventions)} " +
                string.Join(' ', parameters.Select(parameter => $"--from-literal {parameter.Name}=\"$(openssl rand -hex 16)\"")));
        }

        header.Add("Then, from this folder: kubectl apply -k .   (install Datadog's agent with ../datadog-values.yaml: see docs/deploying.md)");
        yield return new GeneratedFile($"{Folder}/kustomization.yaml", YamlDocuments.Write(header, kustomization));
    }

    public static string SecretName(DeploymentConventions conventions) => $"{conventions.ApplicationName}-secrets";

    private static YamlMap Service(DeployedResource resource, DeploymentConventions conventions, bool headless)
    {
        var spec = new YamlMap();
        if (headless)
        {
            // The StatefulSet's governing Service: the name resolves to the pod itself.
            spec["clusterIP"] = "None";
        }

        spec["selector"] = new YamlMap { [NameLabel] = resource.Name };
        spec["ports"] = resource.Endpoints.Select(endpoint => new YamlMap
        {
            ["name"] = endpoint.Name,
            ["port"] = DeployedResource.ContainerPort(endpoint),
            ["targetPort"] = endpoint.Name,
        }).ToList();
        return new YamlMap
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new YamlMap { ["name"] = resource.Name, ["labels"] = Labels(resource, conventions, withTags: false) },
            ["spec"] = spec,
        };
    }

    private static YamlMap Workload(DeployedResource resource, DeployedResource? agent, DeploymentConventions conventions, bool stateful)
    {
        var labels = Labels(resource, conventions, withTags: true);
        var volumes = new List<YamlMap>();
        var claims = new List<YamlMap>();
        var mounts = new List<YamlMap>();
        foreach (var (mount, index) in resource.Mounts.Select((mount, index) => (mount, index)))
        {
            var name = mount.Type == ContainerMountType.Volume && mount.Source is { Length: > 0 } source
                ? VolumeName(conventions.VolumeName(source), resource.Name)
                : $"host-{index}";
            var volumeMount = new YamlMap { ["name"] = name, ["mountPath"] = mount.Target };
            if (mount.IsReadOnly)
            {
                volumeMount["readOnly"] = true;
            }

            mounts.Add(volumeMount);
            if (mount.Type == ContainerMountType.Volume)
            {
                claims.Add(new YamlMap
                {
                    ["metadata"] = new YamlMap { ["name"] = name },
                    ["spec"] = new YamlMap
                    {
                        ["accessModes"] = new List<string> { "ReadWriteOnce" },
                        ["resources"] = new YamlMap { ["requests"] = new YamlMap { ["storage"] = "1Gi" } },
                    },
                });
            }
            else
            {
                volumes.Add(new YamlMap { ["name"] = name, ["hostPath"] = new YamlMap { ["path"] = mount.Source! } });
            }
        }

        var podSpec = new YamlMap { ["containers"] = new List<YamlMap> { Container(resource, agent, conventions, mounts) } };
        if (volumes.Count > 0)
        {
            podSpec["volumes"] = volumes;
        }

        var spec = new YamlMap();
        if (stateful)
        {
            spec["serviceName"] = resource.Name;
        }

        spec["replicas"] = 1;
        spec["selector"] = new YamlMap { ["matchLabels"] = new YamlMap { [NameLabel] = resource.Name } };
        spec["template"] = new YamlMap { ["metadata"] = new YamlMap { ["labels"] = labels }, ["spec"] = podSpec };
        if (claims.Count > 0)
        {
            spec["volumeClaimTemplates"] = claims;
        }

        return new YamlMap
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = stateful ? "StatefulSet" : "Deployment",
            ["metadata"] = new YamlMap { ["name"] = resource.Name, ["labels"] = labels },
            ["spec"] = spec,
        };
    }

    private static YamlMap Container(DeployedResource resource, DeployedResource? agent, DeploymentConventions conventions, List<YamlMap> mounts)
    {
        var container = new YamlMap { ["name"] = resource.Name, ["image"] = resource.Image };
        if (resource.Build is not null)
        {
            // Lets images built on or loaded into the cluster's nodes (kind, minikube) run without a registry.
            container["imagePullPolicy"] = "IfNotPresent";
        }

        var environment = new KubernetesEnvironment(agent, SecretName(conventions));
        if (resource.Entrypoint is { } entrypoint)
        {
            container["command"] = new List<string> { environment.Render(entrypoint) };
        }

        if (resource.Args.Count > 0)
        {
            container["args"] = resource.Args.Select(environment.Render).ToList();
        }

        if (resource.Endpoints.Count > 0)
        {
            container["ports"] = resource.Endpoints.Select(endpoint => new YamlMap
            {
                ["name"] = endpoint.Name,
                ["containerPort"] = DeployedResource.ContainerPort(endpoint),
            }).ToList();
        }

        var env = environment.Variables(resource.Environment);
        if (env.Count > 0)
        {
            container["env"] = env;
        }

        if (mounts.Count > 0)
        {
            container["volumeMounts"] = mounts;
        }

        if (resource.HealthCommand is { } command)
        {
            container["readinessProbe"] = new YamlMap { ["exec"] = new YamlMap { ["command"] = command.Command.ToList() }, ["periodSeconds"] = 5 };
        }
        else if (resource.Readiness is { } readiness)
        {
            container["readinessProbe"] = Probe(readiness);
        }

        if (resource.Liveness is { } liveness)
        {
            // Kubernetes restarts a container after three failed liveness probes, and a service answers nothing until it
            // is ready to (notes makes its schema first, waiting for PostgreSQL: a volume provisioned, an image pulled,
            // initdb run). The startup probe holds the liveness probe off until the first answer, for up to 5 minutes.
            container["startupProbe"] = Probe(liveness, periodSeconds: 5, failureThreshold: 60);
            container["livenessProbe"] = Probe(liveness);
        }

        if (resource.IsProject)
        {
            // The projects' Dockerfiles run as the .NET images' non-root user ($APP_UID).
            container["securityContext"] = new YamlMap { ["runAsNonRoot"] = true, ["allowPrivilegeEscalation"] = false };
        }

        return container;
    }

    private static YamlMap Probe(HttpProbe probe, int periodSeconds = 10, int? failureThreshold = null)
    {
        var yaml = new YamlMap { ["httpGet"] = new YamlMap { ["path"] = probe.Path, ["port"] = probe.Endpoint.Name }, ["periodSeconds"] = periodSeconds };
        if (failureThreshold is { } threshold)
        {
            yaml["failureThreshold"] = threshold;
        }

        return yaml;
    }

    private static YamlMap Labels(DeployedResource resource, DeploymentConventions conventions, bool withTags)
    {
        var labels = new YamlMap { [NameLabel] = resource.Name, [PartOfLabel] = conventions.ApplicationName };
        if (withTags)
        {
            foreach (var (tag, value) in DatadogConventions.Tags(resource))
            {
                labels[DatadogConventions.KubernetesLabelPrefix + tag] = value;
            }
        }

        return labels;
    }

    /// <summary><c>postgres-data</c> claimed by postgres is <c>data</c>: claim names are prefixed with the pod's name anyway.</summary>
    private static string VolumeName(string volume, string resourceName) =>
        volume.StartsWith(resourceName + "-", StringComparison.Ordinal) ? volume[(resourceName.Length + 1)..] : volume;
}
