namespace NotesAspire.Notes;

public static class Quoting
{
    /// <summary>What a caller sent, short enough to quote in an error message.</summary>
    public static string Shorten(string? text) => text is null || text.Length <= 40 ? text ?? "" : text[..40] + "…";
}
