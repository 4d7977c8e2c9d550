using Microsoft.Extensions.Configuration;
using NotesAspire.TelemetryBridge;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>The bridge's tuning (<c>Bridge__X</c>): a setting that cannot work stops it at start, naming the setting.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("QueueCapacity", "0", "Bridge__QueueCapacity is 0; it takes 1 or more.")]
    [InlineData("QueueMaxBytes", "-1", "Bridge__QueueMaxBytes is -1; it takes 1 or more.")]
    [InlineData("MaxRequestBytes", "0", "Bridge__MaxRequestBytes is 0; it takes 1 to 1073741824 (1 GiB).")]
    [InlineData("MaxRequestBytes", "2147483600", "Bridge__MaxRequestBytes is 2147483600; it takes 1 to 1073741824 (1 GiB).")]
    [InlineData("RetryInitialDelay", "00:00:00", "Bridge__RetryInitialDelay is 00:00:00; it takes more than zero to a day (1.00:00:00).")]
    [InlineData("RetryMaxDelay", "00:00:00.100", "Bridge__RetryMaxDelay is 00:00:00.1000000; it takes Bridge__RetryInitialDelay (00:00:00.2500000) or more.")]
    [InlineData("RequestTimeout", "30.00:00:00", "Bridge__RequestTimeout is 30.00:00:00; it takes more than zero to a day (1.00:00:00).")]
    [InlineData("FlushTimeout", "-00:00:01", "Bridge__FlushTimeout is -00:00:01; it takes zero to a day (1.00:00:00).")]
    public void ASettingThatCannotWorkIsRefusedNamingIt(string setting, string value, string refusal)
    {
        Assert.Equal(refusal, RefusalOf($"Bridge:{setting}", value));
    }

    [Theory]
    [InlineData("DATADOG_OTLP_ENDPOINT", "localhost:4318", "DATADOG_OTLP_ENDPOINT is 'localhost:4318'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    [InlineData("DATADOG_TRACE_AGENT_URL", "tcp://agent:8126", "DATADOG_TRACE_AGENT_URL is 'tcp://agent:8126'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url", "OTEL_EXPORTER_OTLP_ENDPOINT is 'not a url'; it takes an http(s) URL, e.g. http://localhost:4318.")]
    // A token in the user info is not echoed.
    [InlineData("DATADOG_OTLP_ENDPOINT", "ftp://user:s3cret@agent", "DATADOG_OTLP_ENDPOINT is a value with user info or a query (not shown); it takes an http(s) URL, e.g. http://localhost:4318.")]
    public void AnAddressThatIsNotAnHttpUrlIsRefusedNamingIt(string variable, string value, string refusal)
    {
        Assert.Equal(refusal, RefusalOf(variable, value));
    }

    [Fact]
    public void EveryDefaultIsTaken()
    {
        Assert.Empty(new BridgeTuning().Problems());
    }

    [Fact]
    public async Task TheBridgeDoesNotStartOnASettingThatCannotWork()
    {
        var ports = FreePorts.Take(2);
        await using var bridge = ServiceProcess.Launch("NotesAspire.TelemetryBridge", new Dictionary<string, string>
        {
            ["OTLP_GRPC_PORT"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTLP_HTTP_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bridge__QueueCapacity"] = "0",
        });

        await bridge.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, bridge.ExitCode);
        Assert.Contains("Bridge__QueueCapacity is 0; it takes 1 or more.", bridge.Output);
    }

    /// <summary>What the bridge stops with at start when <paramref name="key"/> is <paramref name="value"/>.</summary>
    private static string RefusalOf(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build();

        return Assert.Throws<InvalidOperationException>(() => BridgeOptions.From(configuration)).Message;
    }
}
