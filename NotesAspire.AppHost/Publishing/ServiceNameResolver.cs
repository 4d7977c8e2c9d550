using NotesAspire.AppHost.Model;

namespace NotesAspire.AppHost.Publishing;

/// <summary>
/// Where every resource is a host named after it: a Compose service on the project's network, a Kubernetes Service in
/// the namespace. Passwords are never written: each target says how its container receives one (see the callers).
/// </summary>
internal sealed class ServiceNameResolver(Func<PostgresServerResource, string> passwordReference) : IEndpointResolver
{
    public string HttpUrl(ProjectResource project) => $"http://{project.Name}:{project.HttpPort}";

    public string ConnectionString(PostgresDatabaseResource database) =>
        PublishConventions.ConnectionString(database, passwordReference(database.Server));
}
