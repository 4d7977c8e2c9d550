namespace NotesAspire.AppHost.Publishing;

/// <summary>A file the publishing step writes, its path relative to the output folder with '/' separators.</summary>
public sealed record GeneratedFile(string RelativePath, string Content);
