using Aspire.Hosting;

namespace NotesAspire.AppHost.Publishing.Compose;

/// <summary>
/// The .env an earlier publish (or the user) left in the output folder: what the next one keeps of it. A value the user
/// set stays; a value a publish wrote (a default, a parameter no longer in the model) does not.
/// </summary>
/// <param name="Variables">Each variable set to something, its value as written (quotes included, for Compose to read
/// as before).</param>
internal sealed record PreviousEnvironmentFile(IReadOnlyList<PreviousEnvironmentFile.Variable> Variables)
{
    /// <summary>The comment a publish writes before each parameter's variable.</summary>
    public const string ParameterComment = "# Parameter ";

    /// <summary>The comment a publish writes before the variable of a parameter with a default, naming it.</summary>
    public const string DefaultComment = "# Default: ";

    /// <param name="Generated">Whether a publish wrote it for a parameter (it follows the parameter's comment).</param>
    /// <param name="Default">The default that publish wrote, if the parameter had one.</param>
    public sealed record Variable(string Name, string Value, bool Generated, string? Default);

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
        var (generated, defaultValue) = (false, (string?)null);
        foreach (var line in File.ReadAllLines(path).Select(line => line.Trim()))
        {
            if (line.StartsWith(ParameterComment, StringComparison.Ordinal))
            {
                generated = true;
            }
            else if (line.StartsWith(DefaultComment, StringComparison.Ordinal))
            {
                defaultValue = line[DefaultComment.Length..];
            }

            if (line.Length == 0 || line.StartsWith('#') || line.IndexOf('=') is var equals && equals <= 0)
            {
                (generated, defaultValue) = line.Length == 0 ? (false, null) : (generated, defaultValue);
                continue;
            }

            var name = line[..equals].Trim();
            name = name.StartsWith("export", StringComparison.Ordinal) && name.Length > 6 && char.IsWhiteSpace(name[6]) ? name[6..].Trim() : name;
            var value = line[(equals + 1)..].Trim();
            if (value is ['"' or '\'', ..] && value.IndexOf(value[0], 1) < 0)
            {
                throw new DistributedApplicationException(
                    $"{path} sets {name} to a quoted value over several lines, which a publish cannot keep as it rewrites the file. Put it on one line, or export it in the shell instead, then publish again.");
            }

            if (value.Length > 0)
            {
                variables.Add(new Variable(name, value, generated, defaultValue));
            }

            (generated, defaultValue) = (false, null);
        }

        return new PreviousEnvironmentFile(variables);
    }

    /// <summary>
    /// What a new .env keeps: the values the user chose for the variables it writes (<paramref name="written"/>, with a
    /// fresh publish's values), and the user's own variables. The last setting of a name counts, as with Compose.
    /// </summary>
    public IReadOnlyDictionary<string, string> Kept(IReadOnlyDictionary<string, string> written)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Variables)
        {
            kept.Remove(variable.Name);
            var chosen = written.TryGetValue(variable.Name, out var fresh)
                ? variable.Value != fresh && variable.Value != variable.Default
                : !variable.Generated;
            if (chosen)
            {
                kept[variable.Name] = variable.Value;
            }
        }

        return kept;
    }
}
