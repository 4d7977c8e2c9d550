using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// The Datadog Agent the published deployment runs next to the services, as the tutorial does, and the services' OTLP
/// export to it. Publish mode only: a stand-in until the agent resource of issue 9 (run and publish alike) replaces it,
/// and then this file goes. The publisher knows none of this by name: it deploys a container like any other, and treats a
/// container of Datadog's agent image as the agent (Helm chart on Kubernetes; see DatadogConventions).
/// </summary>
public static class PublishedDatadogAgentBuilderExtensions
{
    public static IDistributedApplicationBuilder AddPublishedDatadogAgent(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        // Without a key the trace agent does not start; a key of another site gets 403 and the data is dropped.
        var apiKey = builder.AddParameter("dd-api-key", secret: true)
            .WithDescription("Your Datadog API key (Organization Settings > API Keys).");
        var site = builder.AddParameter("dd-site", "datadoghq.com", publishValueAsDefault: true)
            .WithDescription("Your account's site: datadoghq.com, us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com...");

        var agent = builder.AddContainer("datadog-agent", "datadoghq/agent", "7")
            .WithImageRegistry("gcr.io")
            .WithEnvironment("DD_API_KEY", apiKey)
            .WithEnvironment("DD_SITE", site)
            .WithEnvironment("DD_APM_ENABLED", "true")
            .WithEnvironment("DD_APM_NON_LOCAL_TRAFFIC", "true")
            .WithEnvironment("DD_DOGSTATSD_NON_LOCAL_TRAFFIC", "true")
            // The services export traces, metrics and logs over OTLP/gRPC; the receiver listens on localhost only by default.
            .WithEnvironment("DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT", "0.0.0.0:4317")
            .WithEnvironment("DD_LOGS_ENABLED", "true")
            .WithEnvironment("DD_OTLP_CONFIG_LOGS_ENABLED", "true")
            .WithEndpoint(targetPort: 4317, name: "otlp-grpc", scheme: "http")
            .WithEndpoint(targetPort: 8126, name: "apm", scheme: "http")
            // Read-only views of the host, as in the tutorial: containers (with their labels), processes, cgroups.
            .WithBindMount("/var/run/docker.sock", "/var/run/docker.sock", isReadOnly: true)
            .WithBindMount("/proc/", "/host/proc/", isReadOnly: true)
            .WithBindMount("/sys/fs/cgroup/", "/host/sys/fs/cgroup", isReadOnly: true);

        // Every project, also those added after this call: OTLP to the agent, and DD_AGENT_HOST for Datadog's own clients.
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var otlp = agent.GetEndpoint("otlp-grpc");
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
                    context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                    context.EnvironmentVariables["DD_AGENT_HOST"] = otlp.Property(EndpointProperty.Host);
                }));
                // Started is enough: the OTLP exporter retries, and telemetry must not keep the application down.
                project.Annotations.Add(new WaitAnnotation(agent.Resource, WaitType.WaitUntilStarted));
            }

            return Task.CompletedTask;
        });

        return builder;
    }
}
