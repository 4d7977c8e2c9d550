namespace Aspire.Hosting.ApplicationModel;

/// <summary>A database of a <see cref="LocalPostgresServerResource"/>; its state follows the server's, so <c>WaitFor</c> works.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
