using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Postgres;

namespace NotesAspire.AppHost.Running;

/// <summary>Endpoints on this machine: every service on localhost at its port, the database where its host put it.</summary>
public sealed class LocalEndpoints(IReadOnlyDictionary<string, int> ports, PostgresEndpoint? postgres) : IEndpointResolver
{
    public string HttpUrl(ProjectResource project) => $"http://localhost:{ports[project.Name]}";

    public string ConnectionString(PostgresDatabaseResource database) =>
        (postgres ?? throw new InvalidOperationException($"{database.Name} has no PostgreSQL server.")).ConnectionString(database.DatabaseName);
}

/// <summary>The environment a service process gets when the AppHost runs it on this machine.</summary>
public static class LocalServiceEnvironment
{
    public static Dictionary<string, string> For(ProjectResource project, ServiceTags tags, IEndpointResolver endpoints, OtlpExporter? otlp)
    {
        var environment = ServiceEnvironment.For(project, tags, endpoints);
        environment["ASPNETCORE_URLS"] = endpoints.HttpUrl(project);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // Each process is a new instance: its telemetry must not merge with the run before a restart.
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Guid.NewGuid()}";

        // The one place telemetry is pointed: the dashboard, or any OTLP receiver such as a Datadog Agent.
        if (otlp is not null)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = otlp.Protocol;
        }

        return environment;
    }
}
