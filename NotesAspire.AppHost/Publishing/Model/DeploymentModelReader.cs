#pragma warning disable ASPIREPROBES001 // EndpointProbeAnnotation (WithHttpProbe) is what Aspire's own deployment publishers read.

using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>
/// Reads the deployment from Aspire's <see cref="DistributedApplicationModel"/>: every project and container, with what
/// their annotations say in publish mode. Nothing here knows a resource by name, so a resource added to Program.cs is
/// deployed without a change here; the only rules by type are those of <see cref="PostgresConventions"/>.
/// </summary>
internal static class DeploymentModelReader
{
    public static async Task<IReadOnlyList<DeployedResource>> ReadAsync(
        DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, DeploymentConventions conventions,
        CancellationToken cancellationToken)
    {
        var deployed = new List<DeployedResource>();
        foreach (var resource in model.Resources.Where(IsDeployed))
        {
            deployed.Add(await ReadAsync(resource, executionContext, conventions, cancellationToken));
        }

        return deployed;
    }

    /// <summary>Projects and containers run; parameters, connection strings and databases are values of those.</summary>
    private static bool IsDeployed(IResource resource) =>
        resource is ProjectResource or ContainerResource
        && !resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any(annotation => annotation.Callback is null);

    private static async Task<DeployedResource> ReadAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, DeploymentConventions conventions,
        CancellationToken cancellationToken)
    {
        var environment = await EnvironmentAsync(resource, executionContext, cancellationToken);
        foreach (var (name, value) in PostgresConventions.Environment(resource))
        {
            environment.TryAdd(name, value);
        }

        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var probes = resource.Annotations.OfType<EndpointProbeAnnotation>().ToList();
        var readiness = Probe(probes, ProbeType.Readiness) ?? HealthCheckProbe(resource, endpoints);

        var (image, build) = Image(resource, environment, conventions);
        return new DeployedResource
        {
            Resource = resource,
            Image = image,
            Build = build,
            Endpoints = endpoints,
            Environment = environment.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList(),
            Entrypoint = resource is ContainerResource { Entrypoint: { Length: > 0 } entrypoint } ? DeploymentValue.Text(entrypoint) : null,
            Args = await ArgsAsync(resource, executionContext, cancellationToken),
            Mounts = resource.Annotations.OfType<ContainerMountAnnotation>().ToList(),
            DependsOn = resource.Annotations.OfType<WaitAnnotation>()
                .Select(wait => new Dependency(DeployedAncestor(wait.Resource).Name, wait.WaitType))
                .DistinctBy(dependency => dependency.Name)
                .ToList(),
            HealthCommand = PostgresConventions.HealthCommand(resource),
            Readiness = readiness,
            Liveness = Probe(probes, ProbeType.Liveness),
        };
    }

    /// <summary>Runs the resource's environment callbacks with the publish-mode execution context, as Aspire's publishers do.</summary>
    private static async Task<Dictionary<string, DeploymentValue>> EnvironmentAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(executionContext, resource, variables, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return variables.ToDictionary(pair => pair.Key, pair => ValueReader.Read(pair.Value), StringComparer.Ordinal);
    }

    private static async Task<IReadOnlyList<DeploymentValue>> ArgsAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        // A project's arguments are those of `dotnet run` (launch profiles); its image's entrypoint already runs it.
        if (resource is not ContainerResource)
        {
            return [];
        }

        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource, cancellationToken) { ExecutionContext = executionContext };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return args.Select(ValueReader.Read).ToList();
    }

    /// <summary>
    /// A container's image as the model names it; a project's image is built from the Dockerfile next to its project file,
    /// tagged <c>{application}-{name}:{DD_VERSION}</c>, with the service tags as build arguments (the Dockerfile puts them in
    /// the image's labels and environment).
    /// </summary>
    private static (string Image, ImageBuild? Build) Image(
        IResource resource, IReadOnlyDictionary<string, DeploymentValue> environment, DeploymentConventions conventions)
    {
        if (resource is ProjectResource project)
        {
            var version = environment.GetValueOrDefault("DD_VERSION")?.Literal is { Length: > 0 } tagged ? tagged : DeploymentConventions.DefaultVersion;
            var image = $"{conventions.ApplicationName}-{resource.Name}:{version}";
            var dockerfile = Path.Combine(Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!, "Dockerfile");
            if (!File.Exists(dockerfile))
            {
                return (image, null);
            }

            var args = new[] { "DD_ENV", "DD_VERSION" }
                .Where(name => environment.GetValueOrDefault(name)?.Literal is not null)
                .Select(name => KeyValuePair.Create(name, environment[name].Literal!))
                .ToList();
            return (image, new ImageBuild(conventions.SolutionDirectory, dockerfile, args));
        }

        var annotation = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new InvalidOperationException($"Container '{resource.Name}' has no image.");
        var name = annotation.Registry is { Length: > 0 } registry ? $"{registry}/{annotation.Image}" : annotation.Image;
        var reference = annotation.SHA256 is { Length: > 0 } sha ? $"{name}@sha256:{sha}" : $"{name}:{annotation.Tag ?? "latest"}";

        // AddDockerfile: the container's image is built from a Dockerfile of the repository, with its literal build arguments.
        if (resource.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault() is { } dockerfileBuild)
        {
            var buildArgs = dockerfileBuild.BuildArguments
                .Select(pair => KeyValuePair.Create(pair.Key, ValueReader.Read(pair.Value).Literal))
                .Where(pair => pair.Value is not null)
                .Select(pair => KeyValuePair.Create(pair.Key, pair.Value!))
                .ToList();
            return (reference, new ImageBuild(dockerfileBuild.ContextPath, dockerfileBuild.DockerfilePath, buildArgs));
        }

        return (reference, null);
    }

    private static HttpProbe? Probe(IEnumerable<EndpointProbeAnnotation> probes, ProbeType type) =>
        probes.LastOrDefault(probe => probe.Type == type) is { } probe
            ? new HttpProbe(probe.Path, probe.EndpointReference.EndpointAnnotation)
            : null;

    /// <summary>
    /// WithHttpHealthCheck keeps its path only in the health check's key, <c>{resource}_{endpoint}_{path}_{status}_check</c>
    /// (Aspire 13.6): read it back, so that the path given in Program.cs is the one the deployment probes.
    /// </summary>
    private static HttpProbe? HealthCheckProbe(IResource resource, IReadOnlyList<EndpointAnnotation> endpoints)
    {
        foreach (var check in resource.Annotations.OfType<HealthCheckAnnotation>())
        {
            foreach (var endpoint in endpoints)
            {
                var prefix = $"{resource.Name}_{endpoint.Name}_";
                if (check.Key.StartsWith(prefix, StringComparison.Ordinal) && check.Key.EndsWith("_check", StringComparison.Ordinal))
                {
                    var rest = check.Key[prefix.Length..^"_check".Length];
                    var status = rest.LastIndexOf('_');
                    if (status > 0 && rest[0] == '/')
                    {
                        return new HttpProbe(rest[..status], endpoint);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The resource that runs for a value resource: the server of a database.</summary>
    private static IResource DeployedAncestor(IResource resource)
    {
        while (!IsDeployed(resource) && resource is IResourceWithParent child)
        {
            resource = child.Parent;
        }

        return resource;
    }
}
