using NotesAspire.AppHost.Datadog;

namespace NotesAspire.Tests.Telemetry;

/// <summary>Where the dashboard forwards, from the option and the environment (without an API key: that path needs a container engine).</summary>
public sealed class DatadogTargetTests
{
    [Fact]
    public async Task OptionWinsOverTheHostAgent()
    {
        var forwarding = await DatadogForwarding.ChooseAsync(new Uri("http://127.0.0.1:4999"), Environment(("DD_AGENT_HOST", "agent.local")));

        Assert.Equal(new Uri("http://127.0.0.1:4999"), forwarding.Endpoint);
        Assert.Null(forwarding.Agent);
    }

    [Fact]
    public async Task HostAgentIsReachedOnItsOtlpHttpPort()
    {
        var forwarding = await DatadogForwarding.ChooseAsync(null, Environment(("DD_AGENT_HOST", "agent.local")));

        Assert.Equal(new Uri("http://agent.local:4318"), forwarding.Endpoint);
        Assert.Contains("DD_AGENT_HOST", forwarding.Description);
    }

    [Fact]
    public async Task WithoutDatadogTelemetryStaysLocalAndTheLineSaysHowToSendIt()
    {
        var forwarding = await DatadogForwarding.ChooseAsync(null, Environment());

        Assert.Null(forwarding.Endpoint);
        Assert.StartsWith("Telemetry stays local. To send it to Datadog: set DD_API_KEY (and DD_SITE)", forwarding.Description);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;
}
