using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Datadog's unified service tags on every project of the application: the tutorial's <c>DD_SERVICE</c>, <c>DD_ENV</c>
/// and <c>DD_VERSION</c>, and the OpenTelemetry resource attributes Datadog reads from OTLP data
/// (<c>deployment.environment.name</c>, <c>service.version</c>), added to the <c>service.instance.id</c> Aspire sets.
/// Our ServiceDefaults derive the same attributes from the <c>DD_*</c> variables, as the tutorial's deployments set only
/// those; <c>OTEL_RESOURCE_ATTRIBUTES</c> is for a project whose OpenTelemetry SDK does not use our ServiceDefaults.
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

            var attributes = $"deployment.environment.name={env},service.version={version}";
            environment["OTEL_RESOURCE_ATTRIBUTES"] = environment.TryGetValue("OTEL_RESOURCE_ATTRIBUTES", out var existing) && existing is string { Length: > 0 } text
                ? $"{text},{attributes}"
                : attributes;
        })));

        return builder;
    }
}
