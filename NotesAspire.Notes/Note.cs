namespace NotesAspire.Notes;

public sealed record Note(int Id, string Description)
{
    /// <summary>The tutorial's text form of a note, as its users see it: <c>(4, Datadog)</c>.</summary>
    public override string ToString() => $"({Id}, {Description})";
}
