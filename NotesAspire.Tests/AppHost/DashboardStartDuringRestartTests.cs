using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The dashboard's Start pressed while a restart waits out its delay: what the user chose stands. The delay here is long
/// enough (10 s) that the test's Start surely comes first, which the AppHost's 1 s would not promise on a busy machine.
/// </summary>
public sealed class DashboardStartDuringRestartTests
{
    [Fact]
    public async Task AProgramStartedFromTheDashboardWhileItsRestartWaitsIsNotStartedAgain()
    {
        using var folder = TemporaryFolder.Create("restart-wait");
        var crashOnce = Path.Combine(folder.Path, "crash-once");
        await File.WriteAllTextAsync(crashOnce, "");
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            AssemblyName = typeof(RestartOnExitBuilderExtensions).Assembly.GetName().Name,
            DisableDashboard = true,
        });
        // Its first run ends on its own, once the restarter has seen it run; every later one runs until stopped.
        builder.AddExecutable("worker", "/bin/sh", ".", "-c", """[ -e "$0" ] && rm "$0" && sleep 1 && exit 3; exec sleep 600""", crashOnce)
            .WithRestartOnExit()
            .WithAnnotation(new RestartOnExitAnnotation { FirstDelay = TimeSpan.FromSeconds(10) }, ResourceAnnotationMutationBehavior.Replace);
        await using var app = builder.Build();
        await app.StartAsync();
        using var within = new CancellationTokenSource(ResourceWaits.Timeout);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var worker = await notifications.WaitForResourceAsync("worker", _ => true, within.Token);
        Assert.NotNull(await app.LogLineAsync(worker.ResourceId, "starting it again in 10 s (restart 1)."));

        // The dashboard's Start, before the restart's wait is over.
        var started = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(worker.ResourceId, KnownResourceCommands.StartCommand, within.Token);
        Assert.True(started.Success, started.Message);
        var running = await notifications.WaitForResourceAsync("worker", update => update.Snapshot.State?.Text == KnownResourceStates.Running, within.Token);

        Assert.NotNull(await app.LogLineAsync(worker.ResourceId, "was started or stopped meanwhile; it is not started again."));
        Assert.True(notifications.TryGetCurrentState(worker.ResourceId, out var now));
        Assert.Equal(KnownResourceStates.Running, now.Snapshot.State?.Text);
        Assert.Equal(Pid(running.Snapshot), Pid(now.Snapshot));
        Assert.DoesNotContain(now.Snapshot.Properties, property => property.Name == "restarts");
        await app.StopAsync();
    }

    private static object? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.Single(property => property.Name == "executable.pid").Value;
}
