using Aspire.Hosting;

namespace NotesAspire.AppHost.Publishing.Compose;

/// <summary>
/// The .env an earlier publish (or the user) left in the output folder: what the next one keeps of it. A value the user
/// set stays, even once its parameter has left the model (it may be the password a volume was created with); a default
/// a publish wrote does not, so that a changed default takes effect.
/// </summary>
/// <param name="Variables">Each variable set to something, its value as written (quotes included, for Compose to read
/// as before).</param>
internal sealed record PreviousEnvironmentFile(IReadOnlyList<PreviousEnvironmentFile.Variable> Variables)
{
    /// <summary>The comment a publish writes just before the variable of a parameter with a default, naming it.</summary>
    public const string DefaultComment = "# Default: ";

    /// <param name="Default">The default the publish that wrote it recorded, if any.</param>
    public sealed record Variable(string Name, string Value, string? Default);

    public static readonly PreviousEnvironmentFile None = new([]);

    /// <summary>The file at <paramref name="path"/>, or <see cref="None"/> when there is none.</summary>
    /// <exception cref="DistributedApplicationException">It has a quoted value over several lines: rewriting it line by
    /// line would break it, so the publish stops and leaves it as it is.</exception>
    public static PreviousEnvironmentFile Read(string path)
    {
        if (!File.Exists(path))
        {
            return None;
        }

        var variables = new List<Variable>();
        string? recordedDefault = null;
        foreach (var line in File.ReadAllLines(path).Select(line => line.Trim()))
        {
            if (line.StartsWith(DefaultComment, StringComparison.Ordinal))
            {
                recordedDefault = line[DefaultComment.Length..];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.IndexOf('=') is var equals && equals <= 0)
            {
                recordedDefault = null;
                continue;
            }

            var name = line[..equals].Trim();
            name = name.StartsWith("export", StringComparison.Ordinal) && name.Length > 6 && char.IsWhiteSpace(name[6]) ? name[6..].Trim() : name;
            var value = line[(equals + 1)..].Trim();
            if (value is ['"' or '\'', ..] && !IsClosed(value))
            {
                throw new DistributedApplicationException(
                    $"{path} sets {name} to a quoted value over several lines, which a publish cannot keep as it rewrites the file. Put it on one line, or export it in the shell instead, then publish again.");
            }

            if (value.Length > 0)
            {
                variables.Add(new Variable(name, value, recordedDefault));
            }

            recordedDefault = null;
        }

        return new PreviousEnvironmentFile(variables);
    }

    /// <summary>
    /// What a new .env keeps: every value set here but those a publish would write anyway (<paramref name="written"/>,
    /// with a fresh publish's values) or wrote as a default. The last setting of a name counts, as with Compose.
    /// </summary>
    public IReadOnlyDictionary<string, string> Kept(IReadOnlyDictionary<string, string> written)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Variables)
        {
            kept.Remove(variable.Name);
            var fresh = written.GetValueOrDefault(variable.Name);
            if (variable.Value != fresh && variable.Value != variable.Default)
            {
                kept[variable.Name] = variable.Value;
            }
        }

        return kept;
    }

    /// <summary>Whether a quoted value ends on its line: its quote comes again, not escaped (only double quotes escape).</summary>
    private static bool IsClosed(string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] == '\\' && value[0] == '"')
            {
                i++;
            }
            else if (value[i] == value[0])
            {
                return true;
            }
        }

        return false;
    }
}
