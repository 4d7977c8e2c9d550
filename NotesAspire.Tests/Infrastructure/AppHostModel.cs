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

    /// <summary>
    /// The AppHost's publish into <paramref name="outputPath"/>, run to its end in-process, as <c>aspire publish</c> runs it:
    /// our extensions finish the model on the way (BeforeStartEvent). Returns the model and the publish's context, in
    /// which its values evaluate as the files have them.
    /// </summary>
    public static Task<(IDistributedApplicationTestingBuilder Builder, DistributedApplicationExecutionContext Publish)> PublishAsync(
        string outputPath, params string[] settings) => PublishAsync(outputPath, _ => { }, settings);

    /// <inheritdoc cref="PublishAsync(string, string[])"/>
    /// <param name="addToModel">Resources the test adds to the AppHost's model, as Program.cs would.</param>
    public static async Task<(IDistributedApplicationTestingBuilder Builder, DistributedApplicationExecutionContext Publish)> PublishAsync(
        string outputPath, Action<IDistributedApplicationTestingBuilder> addToModel, params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            ["--operation", "publish", "--step", "publish", "--output-path", outputPath, .. settings]);
        addToModel(builder);
        await using var app = await builder.BuildAsync();
        // Taken before the run, which ends with the application's services.
        var publish = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.RunAsync(timeout.Token);
        return (builder, publish);
    }

    /// <summary>
    /// A resource's environment as <paramref name="context"/> evaluates it (a run's, or a publish's, where values stay
    /// references): every environment callback of the resource, in order.
    /// </summary>
    public static async Task<Dictionary<string, object>> EnvironmentOfAsync(DistributedApplicationExecutionContext context, IResource resource)
    {
        var environment = new Dictionary<string, object>();
        var callbackContext = new EnvironmentCallbackContext(context, resource, environment);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(callbackContext);
        }

        return environment;
    }

    private sealed class StartEndedByTheTest : Exception;
}
