using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Publishing;

public sealed class PublishCommandTests : IDisposable
{
    /// <summary>Known fake secrets: whatever way they reach the AppHost, they must not reach a published file.</summary>
    private static readonly Dictionary<string, string?> s_secrets = new()
    {
        ["Parameters__postgres-password"] = "FakePostgresPassword9c1e",
        ["Parameters__dd-api-key"] = "FakeDatadogApiKey5b7a",
        ["POSTGRES_PASSWORD"] = "FakePostgresPassword9c1e",
        ["DD_API_KEY"] = "FakeDatadogApiKey5b7a",
        // A developer's own server for runs: the deployment brings its PostgreSQL all the same.
        ["ConnectionStrings__notesdb"] = "Host=db.example;Username=notes;Password=FakeConnectionPassword3d2f",
    };

    /// <summary>A developer's ports for runs (Ports__*): the deployment keeps the tutorial's, as deploy/ has them.</summary>
    private static readonly Dictionary<string, string?> s_runSettings = new()
    {
        ["Ports__notes"] = "18080",
        ["Ports__calendar"] = "19090",
    };

    // Next to deploy/, so that the Compose build context (the solution folder, relative to the output) is the same "..".
    private readonly string _output = Path.Combine(Repository.Root, $".publish-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task PublishedFilesMatchTheCommittedDeployFolderAndHoldNoSecret()
    {
        var result = await Publish.AppHostAsync(_output, new Dictionary<string, string?>(s_secrets.Concat(s_runSettings)));
        Assert.True(result.ExitCode == 0, $"publish failed ({result.ExitCode}):\n{result.Text}");

        var published = Publish.RelativeFiles(_output);
        var committed = Publish.RelativeFiles(DeployFolder.Path);
        var differences = published.Union(committed).Order(StringComparer.Ordinal)
            .Where(file => !published.Contains(file) || !committed.Contains(file)
                || !File.ReadAllBytes(Path.Combine(_output, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(DeployFolder.Path, file))))
            .ToList();

        Assert.True(differences.Count == 0,
            $"deploy/ is not what the AppHost publishes; differing: {string.Join(", ", differences)}. Regenerate with: aspire publish -o deploy");
        Assert.Contains("docker-compose.yaml", published);
        Assert.Contains("kubernetes/kustomization.yaml", published);
        Assert.Contains("datadog-values.yaml", published);

        foreach (var file in published)
        {
            var text = File.ReadAllText(Path.Combine(_output, file));
            Assert.All(s_secrets.Values, secret => Assert.DoesNotContain(secret!, text));
        }

        Assert.All(s_secrets.Values, secret => Assert.DoesNotContain(secret!, result.Text));
    }

    [Fact]
    public async Task PublishingAgainKeepsTheValuesSetInDotEnvAndRewritesTheRest()
    {
        var (result, environmentFile) = await PublishOverAsync(
        [
            "# an old comment",
            "COMPOSE_PROJECT_NAME=notesaspire",
            "POSTGRES_PASSWORD=KeptPassword-7e2a",
            "DD_API_KEY=",
            " DD_SITE = datadoghq.eu",
            "MY_OWN=\"a value\"",
        ]);

        Assert.True(result.ExitCode == 0, $"publish failed ({result.ExitCode}):\n{result.Text}");
        var written = await File.ReadAllTextAsync(environmentFile);
        var fresh = await File.ReadAllTextAsync(Path.Combine(DeployFolder.Path, ".env"));
        Assert.Equal(
            fresh
                .Replace("POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=KeptPassword-7e2a\n")
                .Replace("DD_SITE=datadoghq.com\n", "DD_SITE=datadoghq.eu\n")
            + "\n# Set here before, and no parameter of the app model: kept as they were.\nMY_OWN=\"a value\"\n",
            written);
        Assert.Contains($"Kept what {environmentFile} already set: POSTGRES_PASSWORD, DD_SITE, MY_OWN.", result.Text);
        Assert.DoesNotContain("KeptPassword-7e2a", result.Text);
    }

    [Fact]
    public async Task PublishingAgainDropsTheDefaultsAnEarlierPublishWroteAndKeepsWhatTheUserFilledIn()
    {
        var (result, environmentFile) = await PublishOverAsync(
        [
            "# Parameter dd-site. A default that has changed since.",
            "# Default: datadoghq.old",
            "DD_SITE=datadoghq.old",
            "",
            "# Parameter cache-size. A parameter no longer in the model, at its default.",
            "# Default: 64",
            "CACHE_SIZE=64",
            "",
            "# Parameter cache-password (secret). A parameter no longer in the model, filled in.",
            "CACHE_PASSWORD=FilledIn-3b9c",
        ]);

        Assert.True(result.ExitCode == 0, $"publish failed ({result.ExitCode}):\n{result.Text}");
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(DeployFolder.Path, ".env"))
            + "\n# Set here before, and no parameter of the app model: kept as they were.\nCACHE_PASSWORD=FilledIn-3b9c\n",
            await File.ReadAllTextAsync(environmentFile));
        Assert.Contains($"Kept what {environmentFile} already set: CACHE_PASSWORD.", result.Text);
    }

    [Fact]
    public async Task PublishingStopsAndLeavesDotEnvAloneWhenAValueSpansSeveralLines()
    {
        string[] lines = ["POSTGRES_PASSWORD=kept", "TLS_CERT=\"-----BEGIN CERTIFICATE-----", "MIIB=", "-----END CERTIFICATE-----\""];

        var (result, environmentFile) = await PublishOverAsync(lines);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{environmentFile} sets TLS_CERT to a quoted value over several lines", result.Text);
        Assert.Equal(lines, await File.ReadAllLinesAsync(environmentFile));
        Assert.False(File.Exists(Path.Combine(_output, "docker-compose.yaml")));
    }

    [Fact]
    public async Task PublishingAStepThePipelineDoesNotHaveEndsWithExitCodeOne()
    {
        var result = await Publish.AppHostAsync(_output, step: "no-such-step");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Step 'no-such-step' not found in pipeline", result.Text);
    }

    /// <summary>Publishes into the test's folder with a .env of these lines already there, as a user's folder would have.</summary>
    private async Task<(CommandResult Result, string EnvironmentFile)> PublishOverAsync(string[] environmentLines)
    {
        Directory.CreateDirectory(_output);
        var environmentFile = Path.Combine(_output, ".env");
        await File.WriteAllLinesAsync(environmentFile, environmentLines);
        return (await Publish.AppHostAsync(_output), environmentFile);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
