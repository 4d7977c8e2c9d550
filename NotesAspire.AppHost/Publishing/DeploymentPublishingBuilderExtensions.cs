#pragma warning disable ASPIREPIPELINES001 // The publishing pipeline is how Aspire 13 takes publishers; it is marked experimental.
#pragma warning disable ASPIREPIPELINES004 // IPipelineOutputService: where `aspire publish -o` and --output-path point.

using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Publishing;
using NotesAspire.AppHost.Publishing.Compose;
using NotesAspire.AppHost.Publishing.Kubernetes;
using NotesAspire.AppHost.Publishing.Model;

namespace Aspire.Hosting;

/// <summary>
/// Compose and Kubernetes deployments written from the app model by <c>aspire publish</c>, since Aspire's own Docker and
/// Kubernetes publishers are not available to us. One step of Aspire's publishing pipeline, required by its
/// <c>publish</c> step: <c>aspire publish -o deploy</c>, or without the CLI
/// <c>dotnet run --project NotesAspire.AppHost -- --operation publish --step publish --output-path deploy</c>.
/// </summary>
public static class DeploymentPublishingBuilderExtensions
{
    public const string StepName = "publish-deployment";

    /// <param name="applicationName">
    /// The images' prefix, the Compose project and the Kubernetes part-of label; by default the AppHost's name without
    /// <c>.AppHost</c>, in lower case (<c>notesaspire</c>).
    /// </param>
    public static IDistributedApplicationBuilder AddDeploymentPublishing(this IDistributedApplicationBuilder builder, string? applicationName = null)
    {
        applicationName ??= DefaultApplicationName(builder.Environment.ApplicationName);
        builder.Pipeline.AddStep(StepName, context => PublishAsync(context, applicationName), requiredBy: WellKnownPipelineSteps.Publish);
        if (builder.ExecutionContext.IsPublishMode)
        {
            builder.Services.AddHostedService<FailedPublishExitCode>();
        }

        return builder;
    }

    private static async Task PublishAsync(PipelineStepContext context, string applicationName)
    {
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        var configuration = context.Services.GetRequiredService<IConfiguration>();
        var environment = context.Services.GetRequiredService<IHostEnvironment>();

        // The projects' Dockerfiles build from the solution's folder, the AppHost's parent (they copy the shared props).
        var solutionDirectory = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(configuration["AppHost:Directory"] ?? environment.ContentRootPath))!;
        var hash = configuration["AppHost:Sha256"] is { Length: >= 10 } sha ? sha[..10].ToLowerInvariant() : "";
        var conventions = new DeploymentConventions(applicationName, solutionDirectory, hash);

        var resources = await DeploymentModelReader.ReadAsync(context.Model, context.ExecutionContext, conventions, context.CancellationToken);
        var environmentFile = Path.Combine(output, ComposeWriter.EnvironmentFileName);
        var kept = PreviousEnvironmentFile.Read(environmentFile).Kept(ComposeVariables.Written(resources, conventions));
        GeneratedFile[] files =
        [
            .. ComposeWriter.Write(resources, conventions, output, kept),
            .. KubernetesWriter.Write(resources, conventions),
            .. DatadogHelmValuesWriter.Write(resources),
        ];

        // The Kubernetes folder is ours: manifests of resources no longer in the model must not stay behind.
        var kubernetes = Path.Combine(output, KubernetesWriter.Folder);
        if (Directory.Exists(kubernetes))
        {
            foreach (var stale in Directory.EnumerateFiles(kubernetes, "*.yaml"))
            {
                File.Delete(stale);
            }
        }

        foreach (var file in files)
        {
            var path = Path.Combine(output, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, context.CancellationToken);
        }

        if (kept.Count > 0)
        {
            // Names only: the values may be secrets.
            context.Logger.LogInformation("Kept what {File} already set: {Names}.", environmentFile, string.Join(", ", kept.Keys));
        }

        context.Logger.LogInformation("Wrote {Count} deployment files for {Resources} to {Output}.",
            files.Length, string.Join(", ", resources.Select(resource => resource.Name)), output);
    }

    private static string DefaultApplicationName(string appHostName)
    {
        var name = appHostName.EndsWith(".AppHost", StringComparison.OrdinalIgnoreCase) ? appHostName[..^".AppHost".Length] : appHostName;
        return name.ToLowerInvariant().Replace('.', '-');
    }
}
