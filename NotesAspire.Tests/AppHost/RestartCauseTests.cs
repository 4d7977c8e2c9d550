using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>A service that keeps crashing: each restart line says why, not only that it exited.</summary>
public sealed class RestartCauseTests
{
    [Fact]
    public async Task TheRestartLineOfACrashingServiceSaysWhy()
    {
        var ports = FreePorts.Take(2);
        // A connection string Npgsql reads, and refuses when notes builds its data source: notes crashes at every start.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            [
                "ConnectionStrings:notesdb=Host=127.0.0.1;Database=notesdb;Multiplexing=true;Pooling=false",
                $"Ports:notes={ports[0]}",
                $"Ports:calendar={ports[1]}",
            ]);
        await using var app = await builder.BuildAsync();
        await app.StartAsync();

        using var within = new CancellationTokenSource(Eventually.Timeout);
        // The restarter writes into the log of the process that ended: notes' instance, named notes-<suffix>.
        var notes = await app.ResourceNotifications.WaitForResourceAsync("notes", _ => true, within.Token);
        var restart = await app.LogLineAsync(notes.ResourceId, "exited with code");

        Assert.NotNull(restart);
        Assert.Contains("(Unhandled exception. System.ArgumentException: ", restart);
        Assert.Contains("; starting it again in 1 s (restart 1).", restart);
        await app.StopAsync();
    }

    [Fact]
    public async Task TheRestartLineOfAnyOtherProgramSaysItsLastWordsAsItWroteThem()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            AssemblyName = typeof(RestartOnExitBuilderExtensions).Assembly.GetName().Name,
            DisableDashboard = true,
        });
        builder.AddExecutable("crasher", "/bin/sh", ".", "-c", "echo 'No space left on device' >&2; echo >&2; exit 3").WithRestartOnExit();
        await using var app = builder.Build();
        await app.StartAsync();

        using var within = new CancellationTokenSource(Eventually.Timeout);
        var crasher = await app.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceAsync("crasher", _ => true, within.Token);
        // The line as the log keeps it, after the time it was written.
        var restart = await app.LogLineAsync(crasher.ResourceId, "exited with code");

        Assert.NotNull(restart);
        Assert.Equal($"{crasher.ResourceId} exited with code 3 (No space left on device); starting it again in 1 s (restart 1).", restart[restart.IndexOf(crasher.ResourceId, StringComparison.Ordinal)..]);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("2026-11-30 22:10:11.123 UTC [41] postmaster FATAL:  could not create any TCP/IP sockets", false, "FATAL:  could not create any TCP/IP sockets")]
    [InlineData("2026-11-30 22:10:11.123 +03 [42] startup PANIC:  could not locate a valid checkpoint record", false, "PANIC:  could not locate a valid checkpoint record")]
    // A client's failure ends its connection, not the server; a backend's PANIC is recovered from.
    [InlineData("2026-11-30 22:10:11.123 UTC [43] client backend FATAL:  the database system is starting up", false, null)]
    [InlineData("2026-11-30 22:10:11.123 UTC [44] client backend FATAL:  password authentication failed for user \"notes\"", false, null)]
    [InlineData("2026-11-30 22:10:11.123 UTC [45] client backend PANIC:  could not write to file \"pg_wal/xlogtemp.45\"", false, null)]
    [InlineData("2026-11-30 22:10:11.123 UTC [46] checkpointer LOG:  checkpoint starting: time", false, null)]
    // PostgreSQL before 13 leaves %b out, and its FATALs cannot be told apart.
    [InlineData("2026-11-30 22:10:11.123 UTC [47]  FATAL:  lock file \"postmaster.pid\" already exists", false, "FATAL:  lock file \"postmaster.pid\" already exists")]
    // What setpriv or the shell says goes to stderr, as it was written.
    [InlineData("setpriv: setresuid failed: Operation not permitted", true, "setpriv: setresuid failed: Operation not permitted")]
    [InlineData("postgres-x exited with code 1 (FATAL:  data directory has invalid permissions); starting it again in 2 s (restart 2).", false, null)]
    public void ThePostgresRestartLineQuotesTheServersOwnFailureOnly(string line, bool onStderr, string? reason)
    {
        Assert.Equal(reason, LocalPostgresBuilderExtensions.ExitReason(line, onStderr));
    }
}
