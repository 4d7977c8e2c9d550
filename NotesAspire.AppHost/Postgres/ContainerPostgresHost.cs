using System.Diagnostics;
using Npgsql;
using NotesAspire.AppHost.Model;

namespace NotesAspire.AppHost.Postgres;

/// <summary>
/// The <c>postgres:17</c> image run by Docker or Podman, its data in a named volume. The container runs detached, so the
/// runtime owns it: the AppHost stops it on exit, and removes a leftover one (after a kill) before starting anew.
/// </summary>
public sealed class ContainerPostgresHost(string runtime, PostgresState state, int port) : IPostgresHost
{
    public const string ContainerName = "notesaspire-postgres";
    public const string VolumeName = "notesaspire-postgres-data";

    private readonly TaskCompletionSource _exited = new();

    public string Description => $"{runtime} container {ContainerName} ({PostgresServerResource.Image}), data in volume {VolumeName}";

    public int? LocalPort => port;

    public PostgresEndpoint Endpoint { get; } = new("localhost", port, PostgresServerResource.UserName, state.Password);

    public int? ProcessId => null;

    public Task Exited => _exited.Task;

    /// <summary>True when the runtime's CLI is installed and its engine answers; fails fast when it does not.</summary>
    public static async Task<bool> IsAvailableAsync(string runtime)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return (await RunAsync(runtime, ["info"], timeout.Token)).ExitCode == 0;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StartAsync(Action<string> output, CancellationToken cancellationToken)
    {
        await RunAsync(runtime, ["rm", "--force", ContainerName], cancellationToken);
        // "-e POSTGRES_PASSWORD" without a value passes ours from the CLI's environment: never on a command line.
        var (code, errors) = await RunAsync(runtime,
            ["run", "--detach", "--rm", "--name", ContainerName, "-e", "POSTGRES_PASSWORD", "-v", $"{VolumeName}:/var/lib/postgresql/data",
                "-p", $"127.0.0.1:{port}:{PostgresServerResource.ContainerPort}", PostgresServerResource.Image],
            cancellationToken,
            new() { ["POSTGRES_PASSWORD"] = state.Password });
        if (code != 0)
        {
            throw new InvalidOperationException($"'{runtime} run {PostgresServerResource.Image}' failed with code {code}: {errors.Trim()}");
        }

        output($"Started container {ContainerName}; waiting for PostgreSQL on port {port}.");
        var connectionString = new NpgsqlConnectionStringBuilder(Endpoint.ConnectionString("postgres")) { Pooling = false, Timeout = 5 }.ConnectionString;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(timeout.Token);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new InvalidOperationException(
                    $"The volume {VolumeName} holds a server made with another password than the one in {state.PasswordFile}. " +
                    $"Restore that file, or start afresh, losing the notes: {runtime} volume rm {VolumeName}.", exception);
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException && !timeout.IsCancellationRequested)
            {
                await Task.Delay(250, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"PostgreSQL in container {ContainerName} did not accept connections on port {port} within 2 minutes.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(runtime, ["stop", ContainerName], CancellationToken.None);
        _exited.TrySetResult();
    }

    /// <summary>Runs the runtime's CLI to the end; returns its exit code and what it wrote to standard error.</summary>
    private static async Task<(int ExitCode, string Errors)> RunAsync(string runtime, IEnumerable<string> arguments, CancellationToken cancellationToken, Dictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(runtime) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {runtime}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            await output;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await errors);
    }
}
