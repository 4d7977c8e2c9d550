using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>The real AppHost's model, built in-process by Aspire.Hosting.Testing: nothing is started.</summary>
public static class AppHostModel
{
    /// <summary>The message the AppHost stops with while it builds its model from <paramref name="settings"/>.</summary>
    public static async Task<string> RefusalAsync(params string[] settings)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(settings));

        // Aspire.Hosting.Testing hands the entry point's failure on wrapped.
        return Assert.IsType<DistributedApplicationException>(failure.GetBaseException()).Message;
    }

    /// <summary>
    /// What the AppHost's console says as a run starts (BeforeStartEvent), and nothing started: the test's own handler,
    /// subscribed after the AppHost's, ends the start there, before DCP.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ConsoleAtStartAsync(params string[] settings)
    {
        var console = new AppHostConsole();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(settings);
        builder.Services.AddLogging(logging => logging.AddProvider(console));
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) => throw new StartEndedByTheTest());
        await using var app = await builder.BuildAsync();

        var ended = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.IsType<StartEndedByTheTest>(ended.GetBaseException());
        return console.Lines;
    }

    private sealed class StartEndedByTheTest : Exception;
}
