using NotesAspire.Dashboard.Otlp;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Storage;

internal static class LogViews
{
    public static LogEntry ToEntry(StoredLog log)
    {
        var record = log.Proto;
        var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
        return new LogEntry(
            log.Sequence,
            OtlpValues.ToTime(time),
            log.Resource.ServiceName,
            log.Scope,
            string.IsNullOrEmpty(record.SeverityText) ? SeverityName(record.SeverityNumber) : record.SeverityText,
            record.SeverityNumber,
            OtlpValues.ToText(record.Body),
            OtlpValues.ToHexOrNull(record.TraceId),
            OtlpValues.ToHexOrNull(record.SpanId),
            OtlpValues.ToDictionary(record.Attributes));
    }

    /// <summary>OTLP's severity numbers come in bands of four: 1-4 trace, 5-8 debug, and so on up to 21-24 fatal.</summary>
    private static string SeverityName(int number) => number switch
    {
        >= 1 and <= 4 => "Trace",
        >= 5 and <= 8 => "Debug",
        >= 9 and <= 12 => "Information",
        >= 13 and <= 16 => "Warning",
        >= 17 and <= 20 => "Error",
        >= 21 and <= 24 => "Critical",
        _ => "Unspecified",
    };
}
