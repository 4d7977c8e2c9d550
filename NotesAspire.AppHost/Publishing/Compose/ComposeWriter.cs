using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Publishing.Model;
using NotesAspire.AppHost.Publishing.Yaml;

namespace NotesAspire.AppHost.Publishing.Compose;

/// <summary>
/// docker-compose.yaml and its .env: one service per deployed resource, on Compose's default network where every service is a
/// host of its name. Parameters become variables set in .env (or the shell), so no value of one is ever written; values a
/// user set in the output folder's .env stay.
/// </summary>
internal static class ComposeWriter
{
    public const string ComposeFileName = "docker-compose.yaml";
    public const string EnvironmentFileName = ".env";

    /// <param name="kept">What the output folder's .env set that stays in the new one (<see cref="PreviousEnvironmentFile.Kept"/>).</param>
    public static IEnumerable<GeneratedFile> Write(IReadOnlyList<DeployedResource> resources, DeploymentConventions conventions, string outputDirectory, IReadOnlyDictionary<string, string> kept)
    {
        var services = new YamlMap();
        var volumes = new YamlMap();
        foreach (var resource in resources)
        {
            services[resource.Name] = Service(resource, resources, conventions, outputDirectory);
            foreach (var mount in resource.Mounts.Where(mount => mount.Type == ContainerMountType.Volume && mount.Source is { Length: > 0 }))
            {
                volumes[conventions.VolumeName(mount.Source!)] = new YamlMap();
            }
        }

        var compose = new YamlMap { ["services"] = services };
        if (volumes.Count > 0)
        {
            compose["volumes"] = volumes;
        }

        string[] header =
        [
            DeploymentConventions.GeneratedBy,
            "Set the variables of .env first (or export them: the shell wins), then, from this folder: docker compose up --build -d",
        ];
        yield return new GeneratedFile(ComposeFileName, YamlDocuments.Write(header, compose));
        yield return new GeneratedFile(EnvironmentFileName, ComposeVariables.EnvironmentFile(resources, conventions, kept));
    }

    private static YamlMap Service(DeployedResource resource, IReadOnlyList<DeployedResource> all, DeploymentConventions conventions, string outputDirectory)
    {
        var service = new YamlMap { ["image"] = resource.Image };
        if (resource.Build is { } build)
        {
            var context = Path.GetRelativePath(outputDirectory, build.Context).Replace('\\', '/');
            var buildMap = new YamlMap
            {
                ["context"] = context,
                ["dockerfile"] = Path.GetRelativePath(build.Context, build.Dockerfile).Replace('\\', '/'),
            };
            if (build.Args.Count > 0)
            {
                buildMap["args"] = ToMap(build.Args.Select(arg => KeyValuePair.Create(arg.Key, DeploymentValue.Escaped(arg.Value))));
            }

            service["build"] = buildMap;
        }

        service["restart"] = "unless-stopped";
        if (resource.Entrypoint is { } entrypoint)
        {
            service["entrypoint"] = new List<string> { Render(entrypoint) };
        }

        if (resource.Args.Count > 0)
        {
            service["command"] = resource.Args.Select(Render).ToList();
        }

        // Endpoints given a fixed port in Program.cs are published on the host at that port (the tutorial's 8080 and 9090);
        // the others are reached by name on Compose's network only.
        var ports = resource.Endpoints.Where(endpoint => endpoint.Port is not null)
            .Select(endpoint => $"{endpoint.Port}:{DeployedResource.ContainerPort(endpoint)}{(endpoint.Protocol == System.Net.Sockets.ProtocolType.Udp ? "/udp" : "")}")
            .ToList();
        if (ports.Count > 0)
        {
            service["ports"] = ports;
        }

        if (resource.Environment.Count > 0)
        {
            service["environment"] = ToMap(resource.Environment.Select(pair => KeyValuePair.Create(pair.Key, Render(pair.Value))));
        }

        var volumes = resource.Mounts.Select(mount => Volume(mount, conventions)).ToList();
        if (volumes.Count > 0)
        {
            service["volumes"] = volumes;
        }

        var labels = DatadogConventions.Tags(resource).Select(tag => KeyValuePair.Create(DatadogConventions.DockerLabelPrefix + tag.Key, DeploymentValue.Escaped(tag.Value))).ToList();
        if (labels.Count > 0)
        {
            service["labels"] = ToMap(labels);
        }

        if (resource.DependsOn.Count > 0)
        {
            var dependsOn = new YamlMap();
            foreach (var dependency in resource.DependsOn)
            {
                dependsOn[dependency.Name] = new YamlMap { ["condition"] = Condition(dependency, all) };
            }

            service["depends_on"] = dependsOn;
        }

        if (HealthCheck(resource) is { } healthCheck)
        {
            service["healthcheck"] = healthCheck;
        }

        return service;
    }

    /// <summary>
    /// WaitFor is service_healthy when Compose can check the service's health; otherwise, and for WaitForStart, started.
    /// </summary>
    private static string Condition(Dependency dependency, IReadOnlyList<DeployedResource> all) => dependency.WaitType switch
    {
        WaitType.WaitForCompletion => "service_completed_successfully",
        WaitType.WaitUntilHealthy when HealthCheck(all.Single(resource => resource.Name == dependency.Name)) is not null => "service_healthy",
        _ => "service_started",
    };

    private static YamlMap? HealthCheck(DeployedResource resource)
    {
        if (resource.HealthCommand is { } command)
        {
            return new YamlMap
            {
                ["test"] = (List<string>)["CMD", .. command.Command],
                ["interval"] = "5s",
                ["timeout"] = "5s",
                ["retries"] = 10,
            };
        }

        // The .NET runtime images have bash but no curl or wget: an HTTP/1.0 GET of the readiness path over bash's /dev/tcp.
        // Another image may have neither, so a container's HTTP probe is left to Kubernetes.
        if (resource.Readiness is { } probe && resource.IsProject)
        {
            var port = DeployedResource.ContainerPort(probe.Endpoint).ToString(CultureInfo.InvariantCulture);
            return new YamlMap
            {
                ["test"] = new List<string>
                {
                    "CMD", "bash", "-c",
                    $"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {probe.Path} HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '",
                },
                ["interval"] = "10s",
                ["timeout"] = "5s",
                ["retries"] = 5,
                ["start_period"] = "15s",
            };
        }

        return null;
    }

    private static string Volume(ContainerMountAnnotation mount, DeploymentConventions conventions)
    {
        var source = mount.Type == ContainerMountType.Volume ? conventions.VolumeName(mount.Source ?? "") : mount.Source;
        var volume = source is { Length: > 0 } ? $"{source}:{mount.Target}" : mount.Target;
        return mount.IsReadOnly ? volume + ":ro" : volume;
    }

    private static string Render(DeploymentValue value) =>
        value.Render(ComposeVariables.Reference, endpoint => EndpointValue(endpoint));

    /// <summary>Every service is a host of its name on Compose's network, listening on its container port.</summary>
    private static string EndpointValue(EndpointPart endpoint) => endpoint.ValueAt(endpoint.Resource.Name);

    private static YamlMap ToMap(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new YamlMap();
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }
}
