namespace NotesAspire.AppHost.Model;

/// <summary>How a service reaches what it references, where it runs: on this machine, in Compose, in Kubernetes.</summary>
public interface IEndpointResolver
{
    /// <summary>The base URL another service uses to call this one, e.g. <c>http://localhost:9090</c> or <c>http://calendar:9090</c>.</summary>
    string HttpUrl(ProjectResource project);

    /// <summary><c>Host=…;Port=…;Username=postgres;Password=…;Database=…</c>; the password may be a placeholder to substitute.</summary>
    string ConnectionString(PostgresDatabaseResource database);
}

/// <summary>
/// The environment a service gets, with the names and shapes a .NET Aspire AppHost gives, so the services would run
/// unchanged under one: connection strings, service discovery, OpenTelemetry names, Datadog's unified service tags.
/// Where it runs adds the rest (ASPNETCORE_URLS, ASPNETCORE_ENVIRONMENT, OTEL_EXPORTER_OTLP_*, service.instance.id).
/// </summary>
public static class ServiceEnvironment
{
    public static Dictionary<string, string> For(ProjectResource project, ServiceTags tags, IEndpointResolver resolver)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["DD_SERVICE"] = project.Name,
            ["DD_ENV"] = tags.Env,
            ["DD_VERSION"] = tags.Version,
        };

        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case PostgresDatabaseResource database:
                    environment[$"ConnectionStrings__{database.Name}"] = resolver.ConnectionString(database);
                    break;
                case ProjectResource service:
                    environment[$"services__{service.Name}__http__0"] = resolver.HttpUrl(service);
                    break;
                default:
                    throw new InvalidOperationException($"{project.Name} references {reference.Name}, which gives no environment.");
            }
        }

        foreach (var (key, value) in project.Environment)
        {
            environment[key] = value;
        }

        return environment;
    }
}
