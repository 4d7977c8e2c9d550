namespace NotesAspire.Tests.AppHost;

/// <summary>One running application for the tests that only look at it (and kill what the AppHost restarts).</summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private AppHostProcess? _appHost;

    public IsolatedAppHost Instance { get; } = new();

    public AppHostProcess AppHost => _appHost ?? throw new InvalidOperationException("The AppHost has not started.");

    public async Task InitializeAsync() => _appHost = await Instance.StartAsync();

    public async Task DisposeAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync();
        }

        Instance.Dispose();
    }
}
