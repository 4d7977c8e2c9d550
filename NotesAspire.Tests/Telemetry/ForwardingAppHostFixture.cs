using NotesAspire.Dashboard;
using NotesAspire.Tests.AppHost;
using NotesAspire.Tests.Dashboard;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Telemetry;

/// <summary>A running application whose dashboard forwards to the agent URL a subclass gives (<c>--datadog-otlp-endpoint</c>).</summary>
public abstract class ForwardingAppHostFixture : IAsyncLifetime
{
    private AppHostProcess? _appHost;

    public IsolatedAppHost Instance { get; } = new();

    public AppHostProcess AppHost => _appHost ?? throw new InvalidOperationException("The AppHost has not started.");

    public Uri AgentUrl { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        AgentUrl = await StartAgentAsync();
        _appHost = await Instance.StartAsync(Environment, "--datadog-otlp-endpoint", AgentUrl.AbsoluteUri);
    }

    public virtual async Task DisposeAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync();
        }

        Instance.Dispose();
    }

    protected abstract Task<Uri> StartAgentAsync();
}

/// <summary>A real OTLP receiver standing in for the Datadog Agent: a second dashboard, its <c>/api</c> showing what arrived.</summary>
public sealed class StandInAgentFixture : ForwardingAppHostFixture
{
    public DashboardServer Agent { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Agent.DisposeAsync();
    }

    protected override async Task<Uri> StartAgentAsync()
    {
        Agent = await DashboardServer.StartAsync(TestDashboards.OnFreePorts(), new TestResourceCatalog());
        return Agent.OtlpHttpUrl;
    }
}

/// <summary>An agent URL where nothing listens, and a Datadog API key in the AppHost's environment that must never show.</summary>
public sealed class UnreachableAgentFixture : ForwardingAppHostFixture
{
    public string ApiKey { get; } = $"api-key-marker-{Guid.NewGuid():N}";

    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["DD_API_KEY"] = ApiKey };

    protected override Task<Uri> StartAgentAsync() => Task.FromResult(new Uri($"http://127.0.0.1:{PostgresFixture.FreeTcpPort()}"));
}
