using NotesAspire.AppHost.Postgres;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries, for machines without a container runtime: the counterpart
/// of Aspire's <c>PostgresServerResource</c>, which needs one. Listens on 127.0.0.1, user <c>postgres</c>.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string workingDirectory, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <summary>The databases the server creates when it is first ready, by resource name.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={LocalPostgresCluster.UserName};Password={password}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}
