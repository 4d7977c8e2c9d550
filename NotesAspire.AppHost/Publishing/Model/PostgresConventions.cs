using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>
/// What Aspire's PostgreSQL integration does from the AppHost at run time, and a deployment must ask of the postgres image
/// instead: Aspire creates the databases by connecting once the server is up, which no deployed AppHost does; the image
/// creates one database at first start (<c>POSTGRES_DB</c>). And its health check is Npgsql in the AppHost; a deployment
/// checks with the image's <c>pg_isready</c>, over TCP so the image's initialisation (socket only) does not count as ready.
/// </summary>
internal static class PostgresConventions
{
    public static IEnumerable<KeyValuePair<string, DeploymentValue>> Environment(IResource resource)
    {
        if (resource is PostgresServerResource server && Database(server) is { } database)
        {
            yield return KeyValuePair.Create("POSTGRES_DB", DeploymentValue.Text(database));
        }
    }

    public static HealthCommand? HealthCommand(IResource resource)
    {
        if (resource is not PostgresServerResource server)
        {
            return null;
        }

        var port = DeployedResource.ContainerPort(server.PrimaryEndpoint.EndpointAnnotation);
        var user = ValueReader.Read(server.UserNameReference).Literal ?? "postgres";
        List<string> command = ["pg_isready", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", user];
        if (Database(server) is { } database)
        {
            command.AddRange(["-d", database]);
        }

        return new HealthCommand(command);
    }

    /// <summary>The image creates one database: publishing a server with more would leave the others missing.</summary>
    private static string? Database(PostgresServerResource server) => server.Databases.Values.ToList() switch
    {
        [] => null,
        [var database] => database,
        var databases => throw new InvalidOperationException(
            $"{server.Name} has {databases.Count} databases; the postgres image creates one at first start, so publishing supports one per server."),
    };
}
