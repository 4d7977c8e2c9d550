using NotesAspire.AppHost.Containers;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Processes;

namespace NotesAspire.AppHost.Postgres;

/// <summary>Picks how to have the PostgreSQL server, in the order of preference: existing server, container, local binaries.</summary>
public static class PostgresHostSelector
{
    /// <param name="connectionString">The user's connection string (<c>ConnectionStrings__postgres</c>), if any.</param>
    /// <param name="localOnly">Skip the container, even when a runtime answers (<c>--local-postgres</c>).</param>
    public static async Task<IPostgresHost> ChooseAsync(
        PostgresServerResource server, string? connectionString, int? port, string stateDirectory, IProcessLauncher launcher, bool localOnly = false)
    {
        var connectionName = $"ConnectionStrings__{server.Name}";
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new ExistingPostgresHost(connectionString, connectionName);
        }

        if (!localOnly && await ContainerRuntime.FindAsync() is { } runtime)
        {
            var state = new PostgresState(stateDirectory);
            return new ContainerPostgresHost(runtime, state, state.Port(port ?? server.Port));
        }

        if (LocalPostgresServer.FindBinDirectory() is { } bin)
        {
            var state = new PostgresState(stateDirectory);
            return new LocalPostgresHost(bin, state, state.Port(port ?? server.Port), launcher);
        }

        throw new InvalidOperationException(
            $"No PostgreSQL server for '{server.Name}'. Any one of these fixes it:{Environment.NewLine}" +
            $"  1. give an existing server's connection string: export {connectionName}='Host=…;Port=5432;Username=postgres;Password=…'{Environment.NewLine}" +
            $"  2. start Docker or Podman, so the AppHost can run the {PostgresServerResource.Image} image{Environment.NewLine}" +
            "  3. install PostgreSQL's server binaries (Debian: apt-get install postgresql), so the AppHost can run initdb and postgres");
    }
}
