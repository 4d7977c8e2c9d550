using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Datadog's unified service tags on every project of the application: the tutorial's <c>DD_SERVICE</c>, <c>DD_ENV</c>
/// and <c>DD_VERSION</c>. Our ServiceDefaults turn them into the OpenTelemetry resource attributes Datadog reads from
/// OTLP data (<c>service.name</c>, <c>deployment.environment.name</c>, <c>service.version</c>), as in the tutorial's
/// deployments, which set only these.
/// </summary>
public static class ServiceTagsBuilderExtensions
{
    public static IDistributedApplicationBuilder AddServiceTags(this IDistributedApplicationBuilder builder, string env, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(env);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);

        builder.OnEveryProject(project => project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
        {
            var environment = context.EnvironmentVariables;
            environment["DD_SERVICE"] = project.Name;
            environment["DD_ENV"] = env;
            environment["DD_VERSION"] = version;
        })));

        return builder;
    }
}
