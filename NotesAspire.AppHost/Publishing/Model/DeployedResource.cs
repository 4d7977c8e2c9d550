using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>
/// One container of the deployment, read from a project or container resource of the app model. Both targets write from
/// this, so that Compose and Kubernetes describe the same application.
/// </summary>
public sealed record DeployedResource
{
    public required IResource Resource { get; init; }

    public string Name => Resource.Name;

    public required string Image { get; init; }

    /// <summary>How the image is built (projects: the Dockerfile next to the project), or null for an image pulled as is.</summary>
    public ImageBuild? Build { get; init; }

    public required IReadOnlyList<EndpointAnnotation> Endpoints { get; init; }

    /// <summary>The environment the resource gets in publish mode, ordered by name.</summary>
    public required IReadOnlyList<KeyValuePair<string, DeploymentValue>> Environment { get; init; }

    public DeploymentValue? Entrypoint { get; init; }

    public required IReadOnlyList<DeploymentValue> Args { get; init; }

    public required IReadOnlyList<ContainerMountAnnotation> Mounts { get; init; }

    /// <summary>The deployed resources this one waits for (a database's server stands for the database).</summary>
    public required IReadOnlyList<Dependency> DependsOn { get; init; }

    public HealthCommand? HealthCommand { get; init; }

    public HttpProbe? Readiness { get; init; }

    public HttpProbe? Liveness { get; init; }

    /// <summary>Built from one of the solution's Dockerfiles, which run as the non-root user of the .NET images.</summary>
    public bool IsProject => Resource is ProjectResource;

    public string? Variable(string name) => Environment.FirstOrDefault(pair => pair.Key == name).Value?.Literal;

    /// <summary>The port the container listens on for an endpoint, which is also the port other containers reach it at.</summary>
    public static int ContainerPort(EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? endpoint.Port
        ?? throw new InvalidOperationException($"Endpoint '{endpoint.Name}' has no port or target port; publishing needs one.");
}

/// <param name="Context">The build context, absolute.</param>
/// <param name="Dockerfile">The Dockerfile, absolute.</param>
public sealed record ImageBuild(string Context, string Dockerfile, IReadOnlyList<KeyValuePair<string, string>> Args);

public sealed record Dependency(string Name, WaitType WaitType);

/// <summary>A command run inside the container that succeeds once it is ready (an exec probe, a Compose health check).</summary>
public sealed record HealthCommand(IReadOnlyList<string> Command);

public sealed record HttpProbe(string Path, EndpointAnnotation Endpoint);
