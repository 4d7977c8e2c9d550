using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Npgsql;
using NotesAspire.AppHost.Containers;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Postgres;

namespace Aspire.Hosting;

public static class PostgresDatabaseBuilderExtensions
{
    /// <summary>Configuration key choosing the server: <c>container</c> or <c>local</c>; unset, a container when a runtime answers.</summary>
    public const string ServerKindKey = "NotesAspire:Postgres";

    /// <summary>Configuration key (or environment variable) of the folder that keeps a local server's data and password.</summary>
    public const string StateDirectoryKey = "NOTESASPIRE_STATE_DIR";

    /// <summary>
    /// A PostgreSQL database for the application, from the first that applies:
    /// <list type="number">
    /// <item>in a run, an existing server, when configuration names the database's connection string
    ///   (<c>ConnectionStrings:notesdb</c>): a deployment brings its own server whatever a developer's machine uses;</item>
    /// <item>Aspire's PostgreSQL container, with a data volume and a generated password kept in user secrets, when a
    ///   container runtime answers (and always when publishing);</item>
    /// <item>a server from the machine's PostgreSQL binaries (<see cref="AddLocalPostgres"/>), restarted when it dies.</item>
    /// </list>
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresDatabase(
        this IDistributedApplicationBuilder builder, string serverName, string databaseName)
    {
        var (database, choice) = Choose(builder, serverName, databaseName);
        builder.LogAtStart("PostgreSQL", choice);
        return database;
    }

    private static (IResourceBuilder<IResourceWithConnectionString>, string) Choose(
        IDistributedApplicationBuilder builder, string serverName, string databaseName)
    {
        if (builder.ExecutionContext.IsRunMode && builder.Configuration.GetConnectionString(databaseName) is { } given && !string.IsNullOrWhiteSpace(given))
        {
            // Checked here, once: notes would otherwise crash on it at every restart, the reason in its own console only.
            try
            {
                _ = new NpgsqlConnectionStringBuilder(given);
            }
            catch (ArgumentException)
            {
                // Not Npgsql's words: they can name a piece of a password that holds a ';'.
                throw new DistributedApplicationException(
                    $"ConnectionStrings__{databaseName} is not a PostgreSQL connection string; it takes Host=…;Port=…;Username=…;Password=…;Database=… (a value holding ';' or '=' in double quotes).");
            }

            var existing = builder.AddConnectionString(databaseName).SayWhetherReachable(given, $"ConnectionStrings__{databaseName}");
            return (existing, $"the existing server of ConnectionStrings__{databaseName}.");
        }

        var kind = builder.Configuration[ServerKindKey]?.Trim().ToLowerInvariant();
        if (kind is not (null or "" or "container" or "local"))
        {
            throw Settings.Refusal(ServerKindKey, builder.Configuration[ServerKindKey]!, "container or local");
        }

        var (runtime, reason) = builder.ExecutionContext.IsPublishMode
            ? ("", "publishing")
            : kind switch
            {
                "local" => (null, $"{Settings.Variable(ServerKindKey)}=local"),
                "container" => (AnsweringRuntime(builder.Configuration), $"{Settings.Variable(ServerKindKey)}=container"),
                _ => ContainerRuntime.Probe(builder.Configuration),
            };
        if (runtime is not null)
        {
            // Aspire names the volume after the AppHost and the resource; the generated password is kept in user secrets.
            var container = builder.AddPostgres(serverName).WithDataVolume().WithRestartOnExit().AddDatabase(databaseName);
            return (container, $"Aspire's container ({reason}), data in a volume of its own.");
        }

        var stateDirectory = StateDirectory(builder.Configuration);
        var local = builder.AddLocalPostgres(serverName, stateDirectory).WithRestartOnExit(LocalPostgresBuilderExtensions.ExitReason).AddDatabase(databaseName);
        return (local, $"the machine's PostgreSQL binaries ({reason}), data in {Path.Combine(stateDirectory, "postgres", "data")}.");
    }

    /// <summary>
    /// The container runtime a run was told to use, checked now: without one, Aspire would wait for it for ever, its
    /// reason a warning among the start's lines.
    /// </summary>
    private static string AnsweringRuntime(IConfiguration configuration)
    {
        var (runtime, reason) = ContainerRuntime.Probe(configuration);
        return runtime ?? throw new DistributedApplicationException(
            $"{Settings.Named(ServerKindKey)} is '{configuration[ServerKindKey]}', but {reason}. Start a container engine (ASPIRE_CONTAINER_RUNTIME picks docker or podman), or use the machine's PostgreSQL binaries: {Settings.Variable(ServerKindKey)}=local.");
    }

    /// <summary>
    /// NOTESASPIRE_STATE_DIR, else $XDG_DATA_HOME/notesaspire, else ~/.local/share/notesaspire; /var/lib/notesaspire for
    /// root, whose home the unprivileged PostgreSQL user cannot pass through. Never inside the repository.
    /// </summary>
    private static string StateDirectory(IConfiguration configuration)
    {
        if (configuration[StateDirectoryKey] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        if (Environment.IsPrivilegedProcess)
        {
            return "/var/lib/notesaspire";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "notesaspire");
    }
}
