using YamlDotNet.Serialization;

namespace NotesAspire.AppHost.Publishing.Yaml;

/// <summary>
/// Writes YAML with YamlDotNet from ordered maps and lists: strings that YAML would read as something else (true, 8080,
/// 0.1.0, empty) are quoted, sequences are indented under their key as Compose and Kubernetes examples write them.
/// </summary>
internal static class YamlDocuments
{
    private static readonly ISerializer s_serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .DisableAliases()
        .WithNewLine("\n")
        .Build();

    /// <summary>The documents after a comment header of one line each, separated by <c>---</c>.</summary>
    public static string Write(IEnumerable<string> header, params IEnumerable<object> documents)
    {
        var comments = string.Concat(header.Select(line => $"# {line}\n"));
        return comments + string.Join("---\n", documents.Select(s_serializer.Serialize));
    }
}
