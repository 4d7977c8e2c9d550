using NotesAspire.AppHost.Containers;

namespace Aspire.Hosting;

public static class ContainerRuntimeBuilderExtensions
{
    /// <summary>
    /// Stops a run at once, in one line, when ASPIRE_CONTAINER_RUNTIME (or <c>--dcp-container-runtime</c>) names a
    /// runtime Aspire's orchestrator does not take (<c>podmn</c>): it would stop the run anyway, but only once the
    /// AppHost's console had said what it chose without that runtime. A publish starts no container and goes on.
    /// </summary>
    public static IDistributedApplicationBuilder CheckContainerRuntime(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            _ = ContainerRuntime.Configured(builder.Configuration);
        }

        return builder;
    }
}
