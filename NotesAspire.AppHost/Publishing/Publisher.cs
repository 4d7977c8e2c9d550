using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Publishing.DockerCompose;
using NotesAspire.AppHost.Publishing.Kubernetes;

namespace NotesAspire.AppHost.Publishing;

/// <summary>
/// <c>publish --output &lt;dir&gt;</c>: writes, from the AppHost's model, what deploys the application on an existing engine:
/// docker-compose.yaml with its .env, Kubernetes manifests, and the Datadog Agent's Helm values. The output is the same
/// bytes for the same model (no timestamps, stable order), so it can be committed and checked against a fresh publish.
/// </summary>
public static class Publisher
{
    public const string Usage = "Usage: dotnet run --project NotesAspire.AppHost -- publish --output <dir>";

    public static async Task<int> RunAsync(AppModel model, string[] args)
    {
        if (ParseOutput(args) is not { } output)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        IReadOnlyList<GeneratedFile> files;
        try
        {
            files = Generate(model, output);
        }
        catch (InvalidOperationException error)
        {
            await Console.Error.WriteLineAsync($"Cannot publish: {error.Message}");
            return 1;
        }

        foreach (var file in files)
        {
            var path = Path.Combine(output, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content);
            Console.WriteLine($"Wrote {path}");
        }

        return 0;
    }

    /// <summary>The files for an output folder; the Compose build context is the solution's folder relative to it.</summary>
    internal static IReadOnlyList<GeneratedFile> Generate(AppModel model, string outputDirectory)
    {
        var solutionDirectory = BuildInfo.SolutionDirectory;
        foreach (var project in model.OfType<ProjectResource>())
        {
            var dockerfile = PublishConventions.Dockerfile(project);
            if (!File.Exists(dockerfile))
            {
                throw new InvalidOperationException($"{project.Name} has no Dockerfile next to its project ({dockerfile}).");
            }
        }

        var buildContext = Path.GetRelativePath(Path.GetFullPath(outputDirectory), solutionDirectory);
        return
        [
            .. DockerComposeWriter.Write(model, buildContext, solutionDirectory),
            .. KubernetesWriter.Write(model),
        ];
    }

    /// <summary>The folder after <c>--output</c> (or <c>-o</c>); null when the arguments are anything else.</summary>
    private static string? ParseOutput(string[] args) => args switch
    {
        ["publish", "--output" or "-o", var output] when !string.IsNullOrWhiteSpace(output) => output,
        _ => null,
    };
}
