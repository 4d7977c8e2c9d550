using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The Datadog settings as a user sets them (environment variables), read by the real AppHost's model in-process: a value
/// that cannot work stops the AppHost with one line saying what the setting takes, and the console line says what is used.
/// Nothing is started: the model is built, and a run stops right after the AppHost's console has spoken.
/// </summary>
public sealed class DatadogSettingsTests
{
    /// <summary>
    /// No container runtime, whatever the machine has: the probe looks docker up on the PATH of the AppHost's
    /// configuration, here one without folders. (Not a runtime of another name: the AppHost refuses any but docker and
    /// podman, as Aspire's orchestrator does.)
    /// </summary>
    private const string NoContainerRuntime = "PATH=";

    [Theory]
    [InlineData("DD_AGENT_HOST=localhost:8126", "DD_AGENT_HOST is 'localhost:8126'; it takes a host name or an IP address.")]
    [InlineData("DD_AGENT_HOST=http://localhost", "DD_AGENT_HOST is 'http://localhost'; it takes a host name or an IP address, without a scheme: DD_AGENT_HOST=localhost.")]
    [InlineData("DD_AGENT_HOST=https://agent.internal:8126", "DD_AGENT_HOST is 'https://agent.internal:8126'; it takes a host name or an IP address, without a scheme: DD_AGENT_HOST=agent.internal.")]
    public async Task AnAgentHostThatIsNotAHostStopsTheAppHostSayingWhatItTakes(string setting, string message)
    {
        Assert.Equal(message, await RefusalAsync(setting));
    }

    [Theory]
    [InlineData("http://localhost:24318/v1/traces", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'http://localhost:24318/v1/traces'; it takes the receiver's base URL, to which /v1/traces, /v1/logs and /v1/metrics are added: http://localhost:24318.")]
    [InlineData("http://collector:4318/otlp/v1/logs/", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'http://collector:4318/otlp/v1/logs/'; it takes the receiver's base URL, to which /v1/traces, /v1/logs and /v1/metrics are added: http://collector:4318/otlp.")]
    [InlineData("http://localhost:4318/V1/Metrics", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'http://localhost:4318/V1/Metrics'; it takes the receiver's base URL, to which /v1/traces, /v1/logs and /v1/metrics are added: http://localhost:4318.")]
    public async Task AnOtlpEndpointThatIsNotABaseUrlStopsTheAppHostSayingWhatItTakes(string endpoint, string message)
    {
        Assert.Equal(message, await RefusalAsync($"Datadog:OtlpEndpoint={endpoint}"));
    }

    [Fact]
    public async Task AnOtlpEndpointUnderAPathPrefixIsTheBridgesBaseUrl()
    {
        // A collector behind a proxy: the bridge adds v1/traces under the prefix (BaseUri), so the prefix is kept.
        var environment = await BridgeEnvironmentAsync("Datadog:OtlpEndpoint=http://collector:4318/otlp");

        Assert.Equal("http://collector:4318/otlp", environment["DATADOG_OTLP_ENDPOINT"]);
    }

    [Theory]
    [InlineData("Datadog:OtlpEndpoint=http://user:secret@localhost:4318/v1/traces", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'http://***@localhost:4318/v1/traces'; it takes the receiver's base URL, to which /v1/traces, /v1/logs and /v1/metrics are added: http://***@localhost:4318.")]
    [InlineData("Datadog:OtlpEndpoint=ftp://user:secret@localhost:4318", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'ftp://***@localhost:4318'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    [InlineData("Datadog:OtlpEndpoint=user:se@cret@localhost:4318", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is '***@localhost:4318'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    [InlineData("DD_AGENT_HOST=http://user:secret@agent.internal", "DD_AGENT_HOST is 'http://***@agent.internal'; it takes a host name or an IP address, without a scheme: DD_AGENT_HOST=agent.internal.")]
    [InlineData("DD_AGENT_HOST=user:secret@agent.internal", "DD_AGENT_HOST is '***@agent.internal'; it takes a host name or an IP address, without user info: DD_AGENT_HOST=agent.internal.")]
    [InlineData("DD_AGENT_HOST=user:secret@agent.internal:8126", "DD_AGENT_HOST is '***@agent.internal:8126'; it takes a host name or an IP address.")]
    [InlineData("DD_SITE=https://user:secret@app.datadoghq.eu", "DD_SITE is 'https://***@app.datadoghq.eu'; it takes your account's Datadog site as a bare host name (datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com...), without scheme, path or app. prefix: DD_SITE=datadoghq.eu.")]
    public async Task UserInfoInASettingIsNeverInItsRefusal(string setting, string message)
    {
        // DD_API_KEY: Datadog is meant, so every Datadog setting is checked.
        var refusal = await RefusalAsync("DD_API_KEY=user-info-test-key", NoContainerRuntime, setting);

        Assert.Equal(message, refusal);
        Assert.DoesNotContain("secret", refusal);
    }

    [Fact]
    public async Task AnOtlpEndpointWithUserInfoIsSaidRedacted()
    {
        var console = await ConsoleAtStartAsync("Datadog:OtlpEndpoint=http://user:secret@localhost:4318");

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.Equal("Datadog: to the OTLP/HTTP receiver http://***@localhost:4318 (Datadog__OtlpEndpoint; the user info in it is not sent: the bridge sends no credentials).", line);
        Assert.DoesNotContain("secret", string.Join(Environment.NewLine, console));
    }

    [Fact]
    public async Task AnOtlpEndpointWithUserInfoIsGivenToTheBridgeWithoutIt()
    {
        // The dashboard shows the bridge's variables, and the bridge's HttpClient would not have sent the user info anyway.
        var environment = await BridgeEnvironmentAsync("Datadog:OtlpEndpoint=http://user:secret@localhost:4318");

        Assert.Equal("http://localhost:4318", environment["DATADOG_OTLP_ENDPOINT"]);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public async Task AnIPv6AgentHostIsTakenBareOrInBrackets(string host)
    {
        var environment = await BridgeEnvironmentAsync($"DD_AGENT_HOST={host}", "Datadog:Protocol=otlp");

        Assert.Equal("http://[::1]:4318", environment["DATADOG_OTLP_ENDPOINT"]);
    }

    [Theory]
    [InlineData("Datadog:AgentOtlpHttpPort=4318x", "Datadog__AgentOtlpHttpPort (Datadog:AgentOtlpHttpPort) is '4318x'; it takes a port number from 1 to 65535.")]
    [InlineData("Datadog:Protocol=grpc", "Datadog__Protocol (Datadog:Protocol) is 'grpc'; it takes auto, otlp or traceapi.")]
    [InlineData("DD_TRACE_AGENT_PORT=0", "DD_TRACE_AGENT_PORT is '0'; it takes a port number from 1 to 65535.")]
    [InlineData("Datadog:OtlpEndpoint=localhost:4318", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'localhost:4318'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    public async Task AMessageNamesTheVariableAUserSets(string setting, string message)
    {
        Assert.Equal(message, await RefusalAsync("DD_AGENT_HOST=localhost", setting));
    }

    [Theory]
    [InlineData("https://app.datadoghq.eu", ": DD_SITE=datadoghq.eu")]
    [InlineData("datadoghq.eu/", ": DD_SITE=datadoghq.eu")]
    [InlineData("app.datadoghq.com", ": DD_SITE=datadoghq.com")]
    [InlineData("datadoghq eu", "")]
    [InlineData("localhost", "")]
    public async Task ASiteThatIsNotABareHostNameStopsARunSayingWhatItTakes(string site, string suggestion)
    {
        // With DD_AGENT_HOST, where the site is not used: whether it is must not depend on whether Docker answers today.
        Assert.Equal(SiteMessage(site, suggestion), await RefusalAsync($"DD_SITE={site}", "DD_AGENT_HOST=localhost"));
    }

    [Theory]
    [InlineData("DD_API_KEY=site-test-key")]
    [InlineData("Datadog:OtlpEndpoint=http://localhost:4318")]
    public async Task ASiteThatIsNotABareHostNameStopsARunWhateverSendsToDatadog(string setting)
    {
        Assert.Equal(SiteMessage("https://app.datadoghq.eu", ": DD_SITE=datadoghq.eu"), await RefusalAsync("DD_SITE=https://app.datadoghq.eu", setting));
    }

    [Theory]
    [InlineData("https://app.datadoghq.eu", ": DD_SITE=datadoghq.eu")]
    [InlineData("datadoghq eu", "")]
    public async Task ASiteThatIsNotABareHostNameIsSaidAndTheRunGoesOnWhenNothingGoesToDatadog(string site, string suggestion)
    {
        var console = await ConsoleAtStartAsync($"DD_SITE={site}");

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.Equal(
            $"Datadog: nothing is sent: set DD_API_KEY (with Docker running), DD_AGENT_HOST, or Datadog__OtlpEndpoint. The dashboard shows Datadog's names meanwhile. {SiteMessage(site, suggestion)} It is not used in this run; with any Datadog setting it would stop the AppHost.",
            line);
    }

    [Theory]
    [InlineData("Datadog:Protocol=grpc", "DD_API_KEY=protocol-test-key", "Datadog__Protocol (Datadog:Protocol) is 'grpc'; it takes auto, otlp or traceapi.")]
    [InlineData("DD_TRACE_AGENT_PORT=0", "Datadog:OtlpEndpoint=http://localhost:4318", "DD_TRACE_AGENT_PORT is '0'; it takes a port number from 1 to 65535.")]
    [InlineData("Datadog:AgentOtlpHttpPort=4318x", "DD_API_KEY=port-test-key", "Datadog__AgentOtlpHttpPort (Datadog:AgentOtlpHttpPort) is '4318x'; it takes a port number from 1 to 65535.")]
    public async Task AnAgentHostSettingThatCannotWorkStopsARunWhateverSendsToDatadog(string setting, string sender, string message)
    {
        // With any Datadog setting, every one must be able to work, even where another wins.
        Assert.Equal(message, await RefusalAsync(setting, sender, NoContainerRuntime));
    }

    [Theory]
    [InlineData("DD_AGENT_HOST=http://localhost", "DD_AGENT_HOST is 'http://localhost'; it takes a host name or an IP address, without a scheme: DD_AGENT_HOST=localhost.")]
    [InlineData("Datadog:Protocol=grpc", "Datadog__Protocol (Datadog:Protocol) is 'grpc'; it takes auto, otlp or traceapi.")]
    public async Task AnAgentHostSettingThatCannotWorkStopsARunWhereTheAgentContainerWinsToday(string setting, string message)
    {
        // DD_API_KEY's container comes before DD_AGENT_HOST's agent while Docker answers; tomorrow it may not.
        using var runtime = AnsweringContainerRuntime.Create();

        Assert.Equal(message, await RefusalAsync("DD_API_KEY=container-wins-key", "DD_AGENT_HOST=localhost", setting, runtime.Setting));
    }

    [Fact]
    public async Task AnAgentHostThatIsNotAHostStopsARunWhereAnOtlpEndpointWins()
    {
        Assert.Equal(
            "DD_AGENT_HOST is '***@localhost'; it takes a host name or an IP address, without user info: DD_AGENT_HOST=localhost.",
            await RefusalAsync("Datadog:OtlpEndpoint=http://localhost:4318", "DD_AGENT_HOST=user:token@localhost"));
    }

    [Fact]
    public async Task TwoSettingsThatCannotWorkAreSaidTogetherWhenNothingGoesToDatadog()
    {
        var console = await ConsoleAtStartAsync("DD_SITE=datadoghq eu", "DD_TRACE_AGENT_PORT=0");

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.EndsWith(
            $"{SiteMessage("datadoghq eu", "")} DD_TRACE_AGENT_PORT is '0'; it takes a port number from 1 to 65535. They are not used in this run; with any Datadog setting they would stop the AppHost.",
            line);
    }

    [Fact]
    public async Task AnAgentHostSettingThatCannotWorkIsSaidAndTheRunGoesOnWhenNothingGoesToDatadog()
    {
        var console = await ConsoleAtStartAsync("Datadog:Protocol=grpc");

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.Equal(
            "Datadog: nothing is sent: set DD_API_KEY (with Docker running), DD_AGENT_HOST, or Datadog__OtlpEndpoint. The dashboard shows Datadog's names meanwhile. Datadog__Protocol (Datadog:Protocol) is 'grpc'; it takes auto, otlp or traceapi. It is not used in this run; with any Datadog setting it would stop the AppHost.",
            line);
    }

    [Fact]
    public async Task AnAgentHostSettingThatCannotWorkDoesNotStopAPublish()
    {
        // A deployment runs the agent container; an installed agent's settings are written nowhere.
        var compose = await PublishedComposeFileAsync(Settings(["DD_AGENT_HOST=localhost", "Datadog:Protocol=grpc"]));

        Assert.Contains($"  {DatadogBuilderExtensions.AgentResourceName}:", compose);
    }

    [Theory]
    [InlineData("https://app.datadoghq.eu", ": DD_SITE=datadoghq.eu")]
    [InlineData("us5.datadoghq.com/", ": DD_SITE=us5.datadoghq.com")]
    public async Task ASiteThatIsNotABareHostNameStopsAPublishBeforeAnyFileIsWritten(string site, string suggestion)
    {
        using var output = TemporaryFolder.Create("publish-site");

        var refusal = await RefusalAsync("--operation", "publish", "--step", "publish", "--output-path", output.Path, $"DD_SITE={site}");

        Assert.Equal(SiteMessage(site, suggestion), refusal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }

    [Theory]
    [InlineData("datadoghq.com")]
    [InlineData("datadoghq.eu")]
    [InlineData("us3.datadoghq.com")]
    [InlineData("us5.datadoghq.com")]
    [InlineData("ap1.datadoghq.com")]
    [InlineData("ddog-gov.com")]
    [InlineData(" datadoghq.eu ")]
    public async Task EachDocumentedSiteGoesToTheAgentAsGiven(string site)
    {
        var compose = await PublishedComposeFileAsync($"DD_SITE={site}");

        Assert.Contains($"DD_SITE: ${{DD_SITE:-{site.Trim()}}}", compose);
    }

    [Fact]
    public async Task AnApiKeyBesideAnAgentHostIsSaidToBeUnusedWithoutAContainerRuntime()
    {
        var console = await ConsoleAtStartAsync("DD_API_KEY=unused-key-3f9a", "DD_AGENT_HOST=localhost", NoContainerRuntime);

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.StartsWith("Datadog: to the agent on localhost (DD_AGENT_HOST): ", line);
        Assert.EndsWith(
            " DD_API_KEY is not used: that agent has its own key (the agent container, which would take it, needs a container runtime and docker is not installed).",
            line);
        Assert.DoesNotContain("unused-key-3f9a", string.Join(Environment.NewLine, console));
    }

    [Fact]
    public async Task AnAgentHostBesideAnApiKeyIsSaidToBeUnusedWhenAContainerRuntimeAnswers()
    {
        using var runtime = AnsweringContainerRuntime.Create();

        var console = await ConsoleAtStartAsync("DD_API_KEY=unused-host-key", "DD_AGENT_HOST=localhost", runtime.Setting);

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.StartsWith($"Datadog: to the Datadog Agent container '{DatadogBuilderExtensions.AgentResourceName}' (DD_API_KEY is set, docker answers), ", line);
        Assert.EndsWith(
            " DD_AGENT_HOST is not used: with DD_API_KEY set, the agent container comes first while a container runtime answers; unset DD_API_KEY to send to the agent on that host.",
            line);
    }

    [Theory]
    [InlineData("DD_AGENT_HOST is not used", "DD_AGENT_HOST=localhost")]
    [InlineData("DD_API_KEY and DD_AGENT_HOST are not used", "DD_AGENT_HOST=localhost", "DD_API_KEY=unused-endpoint-key")]
    public async Task WhatAnOtlpEndpointLeavesUnusedIsSaid(string unused, params string[] settings)
    {
        var console = await ConsoleAtStartAsync(["Datadog:OtlpEndpoint=http://localhost:4318", NoContainerRuntime, .. settings]);

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.Equal($"Datadog: to the OTLP/HTTP receiver http://localhost:4318 (Datadog__OtlpEndpoint). {unused}: Datadog__OtlpEndpoint comes first.", line);
    }

    [Theory]
    [InlineData("podmn")]
    [InlineData("notesaspire-no-such-runtime")]
    [InlineData(" docker")]
    public async Task AContainerRuntimeAspireDoesNotTakeStopsARunBeforeAnythingIsSaid(string runtime)
    {
        // Refused while the model is built: no line of the AppHost's console has been written, nothing chosen with it.
        Assert.Equal($"ASPIRE_CONTAINER_RUNTIME is '{runtime}'; it takes docker or podman.", await RefusalAsync($"ASPIRE_CONTAINER_RUNTIME={runtime}"));
    }

    [Fact]
    public async Task TheOrchestratorsOwnRuntimeSettingIsCheckedBeforeTheVariable()
    {
        // Aspire reads DcpPublisher:ContainerRuntime first, whatever ASPIRE_CONTAINER_RUNTIME says.
        Assert.Equal(
            "DcpPublisher__ContainerRuntime (DcpPublisher:ContainerRuntime) is 'podmn'; it takes docker or podman.",
            await RefusalAsync("DcpPublisher:ContainerRuntime=podmn", "ASPIRE_CONTAINER_RUNTIME=docker"));
    }

    [Fact]
    public async Task AContainerRuntimeIsTakenInAnyCaseAsAspireTakesIt()
    {
        using var runtime = AnsweringContainerRuntime.Create("podman");

        var console = await ConsoleAtStartAsync("DD_API_KEY=podman-test-key", "ASPIRE_CONTAINER_RUNTIME=Podman", runtime.Setting);

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.Equal($"Datadog: to the Datadog Agent container '{DatadogBuilderExtensions.AgentResourceName}' (DD_API_KEY is set, podman answers), site datadoghq.com.", line);
    }

    [Fact]
    public async Task WithoutARuntimeSetPodmanIsAskedWhenDockerIsNotThere()
    {
        using var runtime = AnsweringContainerRuntime.Create("podman");

        var console = await ConsoleAtStartAsync("DD_API_KEY=podman-only-key", runtime.Setting);

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.Equal($"Datadog: to the Datadog Agent container '{DatadogBuilderExtensions.AgentResourceName}' (DD_API_KEY is set, podman answers), site datadoghq.com.", line);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("podman")]
    public async Task TheAgentContainerMountsDockersSocketOnlyWhereThereIsOne(string runtimeName)
    {
        using var runtime = AnsweringContainerRuntime.Create(runtimeName);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            Settings(["DD_API_KEY=runtime-test-key", $"ASPIRE_CONTAINER_RUNTIME={runtimeName}", runtime.Setting]));
        await using var app = await builder.BuildAsync();
        var agent = builder.Resources.OfType<DatadogAgentResource>().Single();
        var environment = await AppHostModel.EnvironmentOfAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), agent);

        var mounts = agent.Annotations.OfType<ContainerMountAnnotation>().Select(mount => mount.Source).ToList();

        // A bind mount of a missing path would keep the agent from starting: Podman has no daemon, and this machine's
        // docker may answer without one at that path (here the stand-in does, as rootless Docker or podman-docker would).
        var mounted = runtimeName == "docker" && File.Exists(DatadogAgentBuilderExtensions.DockerSocket);
        Assert.Equal(mounted, mounts.Contains(DatadogAgentBuilderExtensions.DockerSocket));
        Assert.Equal(!mounted, environment.ContainsKey("DD_HOSTNAME"));
        Assert.Contains("/proc/", mounts);
    }

    [Fact]
    public async Task AContainerRuntimeAspireDoesNotTakeDoesNotStopAPublish()
    {
        // A publish starts no container: nothing there uses the runtime.
        var compose = await PublishedComposeFileAsync(Settings(["ASPIRE_CONTAINER_RUNTIME=podmn"]));

        Assert.Contains($"  {DatadogBuilderExtensions.AgentResourceName}:", compose);
    }

    [Fact]
    public async Task AnAgentHostAloneSaysNothingOfAnApiKey()
    {
        var console = await ConsoleAtStartAsync("DD_AGENT_HOST=localhost", NoContainerRuntime);

        var line = Assert.Single(console, line => line.StartsWith("Datadog: ", StringComparison.Ordinal));
        Assert.DoesNotContain("DD_API_KEY", line);
    }

    [Fact]
    public void WithDatadogOnAProjectOtherThanTheBridgeIsRefused()
    {
        var builder = DistributedApplication.CreateBuilder();
        var notes = builder.AddResource(new ProjectResource("notes"));

        var refusal = Assert.Throws<InvalidOperationException>(() => notes.WithDatadog());

        Assert.Equal("WithDatadog is for the telemetry bridge, builder.AddTelemetryBridge(...).WithDatadog(); 'notes' is another project.", refusal.Message);
    }

    private static string SiteMessage(string site, string suggestion) =>
        $"DD_SITE is '{site}'; it takes your account's Datadog site as a bare host name (datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com...), without scheme, path or app. prefix{suggestion}.";

    /// <summary>
    /// The machine's own Datadog and container runtime settings cleared, so that only the case's count (docker is the
    /// runtime asked about); a database that needs no probing.
    /// </summary>
    private static string[] Settings(string[] settings)
    {
        var ports = FreePorts.Take(2);
        return
        [
            "DD_API_KEY=", "DD_AGENT_HOST=", "DD_SITE=", "Datadog:OtlpEndpoint=", "Datadog:Protocol=", "DD_TRACE_AGENT_PORT=",
            "Datadog:AgentOtlpHttpPort=", "ASPIRE_CONTAINER_RUNTIME=", "DcpPublisher:ContainerRuntime=",
            "ConnectionStrings:notesdb=Host=127.0.0.1", $"Ports:notes={ports[0]}", $"Ports:calendar={ports[1]}", .. settings,
        ];
    }

    /// <summary>The Compose file a publish with <paramref name="settings"/> writes, the publish run to its end.</summary>
    private static async Task<string> PublishedComposeFileAsync(params string[] settings)
    {
        using var output = TemporaryFolder.Create("publish-settings");
        await AppHostModel.PublishAsync(output.Path, settings);
        return await File.ReadAllTextAsync(Path.Combine(output.Path, "docker-compose.yaml"));
    }

    private static Task<string> RefusalAsync(params string[] settings) => AppHostModel.RefusalAsync(Settings(settings));

    private static async Task<Dictionary<string, object>> BridgeEnvironmentAsync(params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(Settings(settings));
        await using var app = await builder.BuildAsync();
        var bridge = builder.Resources.Single(resource => resource.Name == "telemetry");
        return await AppHostModel.EnvironmentOfAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), bridge);
    }

    private static Task<IReadOnlyList<string>> ConsoleAtStartAsync(params string[] settings) => AppHostModel.ConsoleAtStartAsync(Settings(settings));

    /// <summary>
    /// A container runtime that answers, whatever the machine has: a <c>docker</c> (or <c>podman</c>) of the test's own
    /// that exits 0 on 'container ls', alone on the PATH the probe reads. Nothing is started, so nothing else asks it anything.
    /// </summary>
    private sealed class AnsweringContainerRuntime : IDisposable
    {
        private readonly TemporaryFolder _folder;

        private AnsweringContainerRuntime(TemporaryFolder folder) => _folder = folder;

        public string Setting => $"PATH={_folder.Path}";

        public static AnsweringContainerRuntime Create(string runtime = "docker")
        {
            var folder = TemporaryFolder.Create("runtime");
            var program = Path.Combine(folder.Path, runtime);
            File.WriteAllText(program, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return new AnsweringContainerRuntime(folder);
        }

        public void Dispose() => _folder.Dispose();
    }
}
