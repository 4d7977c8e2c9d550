using System.Globalization;

namespace NotesAspire.Notes;

public static class Quoting
{
    private const int Longest = 40;

    /// <summary>
    /// What a caller sent, short enough to quote in an error message: cut between characters as a reader sees them
    /// (text elements), never inside an emoji or an accented letter.
    /// </summary>
    public static string Shorten(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var end = 0;
        for (var elements = 0; elements < Longest && end < text.Length; elements++)
        {
            end += StringInfo.GetNextTextElementLength(text, end);
        }

        return end == text.Length ? text : text[..end] + "…";
    }
}
