using Microsoft.Extensions.Configuration;
using NotesAspire.ServiceDefaults;

namespace NotesAspire.Tests.ServiceDefaults;

public sealed class ServiceTagsTests
{
    [Fact]
    public void DatadogVariablesBecomeTheResourceAttributesDatadogReads()
    {
        var tags = Tags(new() { ["DD_SERVICE"] = "notes", ["DD_ENV"] = "test", ["DD_VERSION"] = "1.10.0" });

        Assert.Equal("notes", tags[ServiceTags.ServiceName]);
        Assert.Equal("test", tags[ServiceTags.Environment]);
        Assert.Equal("1.10.0", tags[ServiceTags.Version]);
    }

    [Fact]
    public void DatadogVariablesWinOverOpenTelemetryOnes()
    {
        var tags = Tags(new() { ["DD_SERVICE"] = "notes", ["OTEL_SERVICE_NAME"] = "other" });

        Assert.Equal("notes", tags[ServiceTags.ServiceName]);
    }

    [Fact]
    public void OpenTelemetryServiceNameIsLeftToTheSdkWhenNoDatadogVariableIsSet()
    {
        Assert.Null(Tags(new() { ["OTEL_SERVICE_NAME"] = "from-otel" })[ServiceTags.ServiceName]);
        Assert.Null(Tags(new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=from-attributes" })[ServiceTags.ServiceName]);
    }

    [Fact]
    public void ApplicationNameIsTheLastResort()
    {
        Assert.Equal("NotesAspire.Notes", Tags(new())[ServiceTags.ServiceName]);
    }

    [Fact]
    public void DatadogTagsAreParsedWithCommasOrSpaces()
    {
        var tags = Tags(new() { ["DD_TAGS"] = "team:apm, region:eu   tier:web,env:staging", ["DD_ENV"] = "prod" });

        Assert.Equal("apm", tags["team"]);
        Assert.Equal("eu", tags["region"]);
        Assert.Equal("web", tags["tier"]);
        Assert.Equal("prod", tags[ServiceTags.Environment]);
    }

    private static ServiceTags Tags(Dictionary<string, string?> settings) =>
        ServiceTags.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "NotesAspire.Notes");
}
