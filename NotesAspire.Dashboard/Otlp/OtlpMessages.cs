namespace NotesAspire.Dashboard.Otlp;

/// <summary>What the receivers tell a sender whose data was (partly) refused.</summary>
internal static class OtlpMessages
{
    public const string RejectedSpans = "spans need a 16-byte trace id and an 8-byte span id, neither all zeros; a trace keeps at most the configured number of spans";
    public const string RejectedLogRecords = "a log record's trace id must have 16 bytes and its span id 8, when present";
}
