using Aspire.Hosting;
using Aspire.Hosting.Testing;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The Datadog settings as a user sets them (environment variables), read by the real AppHost's model in-process: a value
/// that cannot work stops the AppHost with one line saying what the setting takes, and the console line says what is used.
/// Nothing is started: the model is built, and a run stops right after the AppHost's console has spoken.
/// </summary>
public sealed class DatadogSettingsTests
{
    [Theory]
    [InlineData("DD_AGENT_HOST=localhost:8126", "DD_AGENT_HOST is 'localhost:8126'; it takes a host name or an IP address.")]
    [InlineData("DD_AGENT_HOST=http://localhost", "DD_AGENT_HOST is 'http://localhost'; it takes a host name or an IP address, without a scheme: DD_AGENT_HOST=localhost.")]
    [InlineData("DD_AGENT_HOST=https://agent.internal:8126", "DD_AGENT_HOST is 'https://agent.internal:8126'; it takes a host name or an IP address, without a scheme: DD_AGENT_HOST=agent.internal.")]
    public async Task AnAgentHostThatIsNotAHostStopsTheAppHostSayingWhatItTakes(string setting, string message)
    {
        Assert.Equal(message, await RefusalAsync(setting));
    }

    [Theory]
    [InlineData("Datadog:AgentOtlpHttpPort=4318x", "Datadog__AgentOtlpHttpPort (Datadog:AgentOtlpHttpPort) is '4318x'; it takes a port number.")]
    [InlineData("Datadog:Protocol=grpc", "Datadog__Protocol (Datadog:Protocol) is 'grpc'; it takes auto, otlp or traceapi.")]
    [InlineData("DD_TRACE_AGENT_PORT=0", "DD_TRACE_AGENT_PORT is '0'; it takes a port number.")]
    [InlineData("Datadog:OtlpEndpoint=localhost:4318", "Datadog__OtlpEndpoint (Datadog:OtlpEndpoint) is 'localhost:4318'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    public async Task AMessageNamesTheVariableAUserSets(string setting, string message)
    {
        Assert.Equal(message, await RefusalAsync("DD_AGENT_HOST=localhost", setting));
    }

    /// <summary>The machine's own Datadog settings cleared, so that only the case's count; a database that needs no probing.</summary>
    private static string[] Settings(string[] settings)
    {
        var ports = FreePorts.Take(2);
        return ["DD_API_KEY=", "DD_AGENT_HOST=", "DD_SITE=", "Datadog:OtlpEndpoint=", "ConnectionStrings:notesdb=Host=127.0.0.1", $"Ports:notes={ports[0]}", $"Ports:calendar={ports[1]}", .. settings];
    }

    /// <summary>The message the AppHost stops with while it builds its model.</summary>
    private static async Task<string> RefusalAsync(params string[] settings)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(Settings(settings)));

        // Aspire.Hosting.Testing hands the entry point's failure on wrapped.
        return Assert.IsType<DistributedApplicationException>(failure.GetBaseException()).Message;
    }
}
