using System.Collections;

namespace NotesAspire.AppHost.Publishing.Yaml;

/// <summary>
/// A YAML mapping that keeps its keys in the order they were added, so the published files are stable and read top-down.
/// Values are strings, ints, bools, <see cref="YamlMap"/>, <see cref="YamlList"/> or <see cref="Commented"/>.
/// </summary>
public sealed class YamlMap : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    public object this[string key]
    {
        set
        {
            if (_entries.Any(entry => entry.Key == key))
            {
                throw new InvalidOperationException($"The key '{key}' is set twice.");
            }

            _entries.Add(new(key, value));
        }
    }

    public int Count => _entries.Count;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A YAML sequence.</summary>
public sealed class YamlList : List<object>
{
    public YamlList()
    {
    }

    public YamlList(IEnumerable<object> items) : base(items)
    {
    }
}

/// <summary>A value written with a comment line above its key, to say why it is there.</summary>
public sealed record Commented(string Comment, object Value);
