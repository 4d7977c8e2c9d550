using NotesAspire.Dashboard;

namespace NotesAspire.Tests.Dashboard;

/// <summary>A real dashboard on free loopback ports, and an HTTP client for its <c>/api</c>.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public TestResourceCatalog Resources { get; } = new();

    public DashboardServer Server { get; private set; } = null!;

    public DashboardApiClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await DashboardServer.StartAsync(TestDashboards.OnFreePorts(), Resources);
        Api = new DashboardApiClient(Server.DashboardUrl);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
