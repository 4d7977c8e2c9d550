namespace NotesAspire.AppHost.Publishing.Yaml;

/// <summary>A YAML mapping that keeps the order its keys were added in.</summary>
internal sealed class YamlMap : OrderedDictionary<string, object>
{
}
