using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Lifecycle;
using NotesAspire.AppHost.Restarts;

namespace Aspire.Hosting;

public static class RestartOnExitBuilderExtensions
{
    /// <summary>
    /// Starts the resource again, with a growing delay (1 s, 2 s, 4 s… up to 30 s), whenever it exits on its own: a crash,
    /// a kill, or a clean exit nobody asked for (for a container, a non-zero exit only: one stopped on request exits 0
    /// too). Stopping it from the dashboard, or stopping the AppHost, is left alone.
    /// Aspire itself never restarts a resource; the tutorial's compose file had <c>restart: always</c>.
    /// The restart line says why it ended, from its log: the last line it wrote on stderr, or as <paramref name="reasonIn"/> reads its lines.
    /// </summary>
    public static IResourceBuilder<T> WithRestartOnExit<T>(this IResourceBuilder<T> builder, ExitReason? reasonIn = null) where T : IResource
    {
        builder.ApplicationBuilder.Services.TryAddEventingSubscriber<ResourceRestarter>();
        var policy = reasonIn is null ? new RestartOnExitAnnotation() : new RestartOnExitAnnotation { ReasonIn = reasonIn };
        return builder.WithAnnotation(policy, ResourceAnnotationMutationBehavior.Replace);
    }
}
