using Npgsql;
using NotesAspire.AppHost.Containers;
using NotesAspire.AppHost.Model;

namespace NotesAspire.AppHost.Postgres;

/// <summary>
/// The <c>postgres:17</c> image run by Docker or Podman, its data in a named volume. The container runs detached, so the
/// runtime owns it: the AppHost stops it on exit, and removes a leftover one (after a kill) before starting anew.
/// </summary>
public sealed class ContainerPostgresHost(ContainerRuntime runtime, PostgresState state, int port) : IPostgresHost
{
    public const string ContainerName = "notesaspire-postgres";
    public const string VolumeName = "notesaspire-postgres-data";

    private readonly TaskCompletionSource _exited = new();

    public string Description => $"{runtime} container {ContainerName} ({PostgresServerResource.Image}), data in volume {VolumeName}";

    public int? LocalPort => port;

    public PostgresEndpoint Endpoint { get; } = new("localhost", port, PostgresServerResource.UserName, state.Password);

    public int? ProcessId => null;

    public Task Exited => _exited.Task;

    public async Task StartAsync(Action<string> output, CancellationToken cancellationToken)
    {
        await runtime.RunAsync(["rm", "--force", ContainerName], cancellationToken);
        // "-e POSTGRES_PASSWORD" without a value passes ours from the CLI's environment: never on a command line.
        var (code, errors) = await runtime.RunAsync(
            ["run", "--detach", "--rm", "--name", ContainerName, "-e", "POSTGRES_PASSWORD", "-v", $"{VolumeName}:/var/lib/postgresql/data",
                "-p", $"127.0.0.1:{port}:{PostgresServerResource.ContainerPort}", PostgresServerResource.Image],
            cancellationToken,
            new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = state.Password });
        if (code != 0)
        {
            throw new InvalidOperationException($"'{runtime} run {PostgresServerResource.Image}' failed with code {code}: {errors.Trim()}");
        }

        output($"Started container {ContainerName}; waiting for PostgreSQL on port {port}.");
        await Endpoint.WaitUntilAcceptingAsync(
            TimeSpan.FromMinutes(2),
            $"The volume {VolumeName} holds a server made with another password than the one in {state.PasswordFile}. " +
            $"Restore that file, or start afresh, losing the notes: {runtime} volume rm {VolumeName}.",
            hasFailed: () => null,
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await runtime.RunAsync(["stop", ContainerName], CancellationToken.None);
        _exited.TrySetResult();
    }
}
