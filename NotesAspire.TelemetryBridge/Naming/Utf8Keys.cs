using System.Text;

namespace NotesAspire.TelemetryBridge.Naming;

/// <summary>
/// A few known keys, found from their UTF-8 bytes: every attribute of every span is looked up, and most are not among
/// them, so no key is decoded to a string to find out.
/// </summary>
internal sealed class Utf8Keys
{
    private readonly (byte[] Utf8, string Key)[][] _byLength;

    public Utf8Keys(IEnumerable<string> keys)
    {
        var encoded = keys.Select(key => (Utf8: Encoding.UTF8.GetBytes(key), Key: key)).ToList();
        _byLength = new (byte[], string)[encoded.Max(key => key.Utf8.Length) + 1][];
        for (var length = 0; length < _byLength.Length; length++)
        {
            _byLength[length] = [.. encoded.Where(key => key.Utf8.Length == length)];
        }
    }

    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= _byLength.Length)
        {
            return null;
        }

        foreach (var (bytes, key) in _byLength[utf8.Length])
        {
            if (utf8.SequenceEqual(bytes))
            {
                return key;
            }
        }

        return null;
    }
}
