using NotesAspire.AppHost.Publishing.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NotesAspire.Tests.Publishing;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("8080")]
    [InlineData("0.1.0")]
    [InlineData("1e3")]
    [InlineData("8080:8080")]
    [InlineData("0.0.0.0:4317")]
    [InlineData("2022-03-22")]
    [InlineData("-U")]
    [InlineData("")]
    [InlineData("key: value")]
    [InlineData("# not a comment")]
    [InlineData("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}")]
    [InlineData("Host=postgres;Password=$(POSTGRES_PASSWORD)")]
    [InlineData("printf 'GET / HTTP/1.0\\r\\n' \"quoted\"\ttab")]
    public void StringsThatYamlCouldReadAsSomethingElseAreQuotedAndReadBackUnchanged(string text)
    {
        var value = WriteAndRead(text);

        Assert.Equal(text, value.Value);
        Assert.Equal(ScalarStyle.DoubleQuoted, value.Style);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("postgres:17")]
    [InlineData("http://calendar:9090")]
    [InlineData("/var/run/docker.sock:/var/run/docker.sock:ro")]
    [InlineData("tags.datadoghq.com/env")]
    [InlineData("5s")]
    [InlineData("1Gi")]
    public void WordsUrlsAndQuantitiesArePlain(string text)
    {
        var value = WriteAndRead(text);

        Assert.Equal(text, value.Value);
        Assert.Equal(ScalarStyle.Plain, value.Style);
    }

    [Fact]
    public void NestedMapsListsAndCommentsReadBackInOrder()
    {
        var document = new YamlMap
        {
            ["list"] = new YamlList
            {
                new YamlMap { ["name"] = "first", ["port"] = 8080 },
                "second",
            },
            ["map"] = new Commented("why this is here", new YamlMap { ["enabled"] = true, ["empty"] = new YamlMap() }),
        };

        var text = YamlWriter.Write(["header"], document);
        var root = YamlFile.Parse(text).Single();

        Assert.StartsWith("# header\nlist:\n  - name: first\n    port: 8080\n  - second\n# why this is here\nmap:\n", text);
        Assert.Equal(["list", "map"], root.Keys());
        Assert.Equal("8080", root.List("list").Children[0].Text("port"));
        Assert.Equal("true", root.Map("map").Text("enabled"));
        Assert.Empty(root.Map("map").Map("empty").Children);
    }

    private static YamlScalarNode WriteAndRead(string text) =>
        Assert.IsType<YamlScalarNode>(YamlFile.Parse(YamlWriter.Write([], new YamlMap { ["value"] = text })).Single()
            .Children[new YamlScalarNode("value")]);
}
