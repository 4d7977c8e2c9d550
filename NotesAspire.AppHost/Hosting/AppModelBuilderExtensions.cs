using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NotesAspire.AppHost.Hosting;

/// <summary>What our extensions do once the app model is complete: BeforeStartEvent, raised when running and publishing alike.</summary>
internal static class AppModelBuilderExtensions
{
    /// <summary>
    /// Configures every project of the finished model, also those <c>Program.cs</c> adds after the call, so that an
    /// extension is declared once for all of them.
    /// </summary>
    public static void OnEveryProject(this IDistributedApplicationBuilder builder, Action<ProjectResource> configure)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                configure(project);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Where our extensions speak on the AppHost's console.</summary>
    public static ILogger AppHostLogger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("NotesAspire.AppHost");

    /// <summary>Says a choice the AppHost made on the console, as it starts.</summary>
    public static void LogAtStart(this IDistributedApplicationBuilder builder, string subject, string choice)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            AppHostLogger(@event.Services).LogInformation("{Subject}: {Choice}", subject, choice);
            return Task.CompletedTask;
        });
    }
}
