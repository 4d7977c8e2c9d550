using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NotesAspire.AppHost.Hosting;

/// <summary>
/// A publish that fails in any step (ours, or Aspire's own, as for a <c>--step</c> the pipeline does not have) ends the
/// AppHost with exit code 1. Without the aspire CLI, Aspire runs the pipeline in a BackgroundService that throws when a
/// step fails; the host logs it and stops, but .NET 10's host then returns as if all went well (.NET 11 changes that),
/// so <c>dotnet run -- --operation publish</c> ended with 0 and a script that publishes went on with the files of an
/// earlier run. Under the CLI the pipeline reports its failure to the CLI instead, which ends with its own exit code.
/// </summary>
internal sealed class FailedPublishExitCode(IServiceProvider services) : IHostedLifecycleService
{
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Resolved now, not in the constructor: the hosted services include this one.
        if (services.GetServices<IHostedService>().OfType<BackgroundService>().Any(service => service.ExecuteTask is { IsFaulted: true }))
        {
            Refusals.EndWithFailure();
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
