using YamlDotNet.RepresentationModel;

namespace NotesAspire.Tests.Publishing;

/// <summary>Reads the published YAML back with YamlDotNet, and walks it by key.</summary>
public static class YamlFile
{
    /// <summary>Every document of the file, each a mapping.</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<YamlMappingNode> Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(document => Assert.IsType<YamlMappingNode>(document.RootNode)).ToList();
    }

    public static YamlMappingNode Map(this YamlNode node, string key) => Assert.IsType<YamlMappingNode>(node.Child(key));

    public static YamlSequenceNode List(this YamlNode node, string key) => Assert.IsType<YamlSequenceNode>(node.Child(key));

    public static string Text(this YamlNode node, string key) => Assert.IsType<YamlScalarNode>(node.Child(key)).Value!;

    /// <summary>The mapping's entries as text, for maps of strings such as environment and labels.</summary>
    public static Dictionary<string, string> Texts(this YamlMappingNode node) =>
        node.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!);

    public static IEnumerable<string> Keys(this YamlMappingNode node) => node.Children.Keys.Select(key => ((YamlScalarNode)key).Value!);

    private static YamlNode Child(this YamlNode node, string key)
    {
        var map = Assert.IsType<YamlMappingNode>(node);
        Assert.True(map.Children.TryGetValue(new YamlScalarNode(key), out var child), $"No '{key}' in the mapping at {node.Start}.");
        return child;
    }
}
