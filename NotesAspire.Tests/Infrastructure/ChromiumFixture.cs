using Microsoft.Playwright;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (apt-get install chromium) driven by Playwright. Playwright's own browser downloads are not
/// reachable from here, so the tests never ask for them.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly string _userDataDir = Directory.CreateTempSubdirectory("dashboard-chromium-").FullName;
    private IPlaywright? _playwright;

    public IBrowserContext Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(_userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Browser is not null)
            {
                await Browser.CloseAsync();
            }
        }
        finally
        {
            // A crashed browser must not keep Playwright's driver process or the profile folder.
            _playwright?.Dispose();
            Directory.Delete(_userDataDir, recursive: true);
        }
    }
}
