using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NotesAspire.AppHost.Publishing.Yaml;

/// <summary>
/// Writes <see cref="YamlMap"/> documents as block-style YAML with two-space indents and '\n' line ends, the same bytes on
/// every machine. Strings are plain when YAML cannot read them as anything else, double-quoted otherwise.
/// </summary>
public static partial class YamlWriter
{
    private static readonly HashSet<string> s_reservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    };

    /// <summary>One or more documents, separated by <c>---</c>, after the header's comment lines.</summary>
    public static string Write(IReadOnlyList<string> header, params YamlMap[] documents)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append(CommentLine(line, 0));
        }

        for (var i = 0; i < documents.Length; i++)
        {
            if (i > 0)
            {
                text.Append("---\n");
            }

            WriteMap(text, documents[i], 0);
        }

        return text.ToString();
    }

    /// <summary>A scalar as YAML reads it back: the same string, number or bool.</summary>
    public static string Scalar(object value) => value switch
    {
        string text => IsPlainSafe(text) ? text : Quote(text),
        int number => number.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => throw new ArgumentException($"{value.GetType().Name} is not a YAML scalar.", nameof(value)),
    };

    private static void WriteMap(StringBuilder text, YamlMap map, int indent)
    {
        foreach (var (key, entry) in map)
        {
            var value = entry;
            if (value is Commented commented)
            {
                text.Append(CommentLine(commented.Comment, indent));
                value = commented.Value;
            }

            text.Append(' ', indent).Append(Scalar(key)).Append(':');
            switch (value)
            {
                case YamlMap { Count: 0 }:
                    text.Append(" {}\n");
                    break;
                case YamlMap nested:
                    text.Append('\n');
                    WriteMap(text, nested, indent + 2);
                    break;
                case YamlList { Count: 0 }:
                    text.Append(" []\n");
                    break;
                case YamlList list:
                    text.Append('\n');
                    WriteList(text, list, indent + 2);
                    break;
                default:
                    text.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteList(StringBuilder text, YamlList list, int indent)
    {
        foreach (var item in list)
        {
            if (item is YamlMap map)
            {
                // Write the mapping as if it were nested two deeper, then put the dash in front of its first key.
                var nested = new StringBuilder();
                WriteMap(nested, map, indent + 2);
                var lines = nested.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var first = Array.FindIndex(lines, line => !line.TrimStart().StartsWith('#'));
                for (var i = 0; i < lines.Length; i++)
                {
                    var line = i < first ? new string(' ', indent) + lines[i].TrimStart()
                        : i == first ? new string(' ', indent) + "- " + lines[i][(indent + 2)..]
                        : lines[i];
                    text.Append(line).Append('\n');
                }
            }
            else if (item is YamlList or Commented)
            {
                throw new ArgumentException("Lists hold scalars or mappings only.", nameof(list));
            }
            else
            {
                text.Append(' ', indent).Append("- ").Append(Scalar(item)).Append('\n');
            }
        }
    }

    private static string CommentLine(string comment, int indent) =>
        (comment.Length == 0 ? new string(' ', indent) + "#" : new string(' ', indent) + "# " + comment) + "\n";

    /// <summary>
    /// Plain only when it starts like a word, holds no YAML indicator and is no bool or null in any YAML version; or when it
    /// is a quantity such as 5s or 1Gi, which no YAML version reads as a number.
    /// </summary>
    private static bool IsPlainSafe(string text) =>
        (PlainScalar().IsMatch(text) && !text.EndsWith(':') && !s_reservedWords.Contains(text)) || Quantity().IsMatch(text);

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var character in text)
        {
            quoted.Append(character switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(character) => $"\\u{(int)character:x4}",
                _ => character.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    [GeneratedRegex("^[A-Za-z_/][A-Za-z0-9_./@:+-]*$")]
    private static partial Regex PlainScalar();

    [GeneratedRegex("^[0-9]+[A-Za-z]+$")]
    private static partial Regex Quantity();
}
