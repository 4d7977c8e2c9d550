using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Publishing;

/// <summary>The committed output of <c>publish</c>.</summary>
public static class DeployFolder
{
    public static string Path => System.IO.Path.Combine(Repository.Root, "deploy");

    public static string ComposeFile => System.IO.Path.Combine(Path, "docker-compose.yaml");

    public static string KubernetesFolder => System.IO.Path.Combine(Path, "kubernetes");
}
