using Aspire.Hosting;
using Aspire.Hosting.Testing;
using NotesAspire.Tests.AppHost;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Bench;

/// <summary>
/// The real AppHost, as the AppHost tests start it (Aspire.Hosting.Testing: its local PostgreSQL, the bridge, the Aspire
/// dashboard, the services), for the same load through the port users call and straight to the notes process.
/// </summary>
public sealed class AppHostRun(AppHostFixture apphost) : IAsyncDisposable
{
    public static async Task<AppHostRun> StartAsync()
    {
        var apphost = new AppHostFixture();
        await apphost.InitializeAsync();
        return new AppHostRun(apphost);
    }

    public Task<string?> ConnectionStringAsync() => apphost.App.GetConnectionStringAsync("notesdb").AsTask();

    /// <summary>The notes endpoint the AppHost publishes (through DCP's proxy, when the endpoint is proxied).</summary>
    public Uri Public => apphost.App.GetEndpoint("notes", "http");

    /// <summary>The port the notes process itself listens on, from its environment (ASPNETCORE_URLS, as DCP sets it).</summary>
    public Uri Direct
    {
        get
        {
            var environment = File.ReadAllText($"/proc/{apphost.ProcessIdOf("notes")}/environ").Split('\0');
            var urls = environment.Single(variable => variable.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal))["ASPNETCORE_URLS=".Length..];
            return new Uri(urls.Split(';')[0].Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>The OTLP settings the AppHost gave notes, to check that the bench's "tracing on" gives the same.</summary>
    public IEnumerable<string> OtelEnvironment =>
        File.ReadAllText($"/proc/{apphost.ProcessIdOf("notes")}/environ").Split('\0')
            .Where(variable => variable.StartsWith("OTEL_", StringComparison.Ordinal) && !variable.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT", StringComparison.Ordinal)
                && !variable.StartsWith("OTEL_RESOURCE_ATTRIBUTES", StringComparison.Ordinal) && !variable.StartsWith("OTEL_SERVICE_NAME", StringComparison.Ordinal))
            .Order();

    /// <summary>CPU seconds a resource's processes have used so far (for a project, its <c>dotnet run</c> and the service under it).</summary>
    public double CpuSeconds(string resource)
    {
        var pid = apphost.ProcessIdOf(resource);
        return LinuxProcesses.Descendants(pid).Append(pid).Sum(ProcessStats.CpuSeconds);
    }

    public ValueTask DisposeAsync() => new(apphost.DisposeAsync());
}
