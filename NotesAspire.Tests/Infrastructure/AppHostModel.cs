using Aspire.Hosting;
using Aspire.Hosting.Testing;

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
}
