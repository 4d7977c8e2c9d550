using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>
/// What a receiver's answer says it rejected of a request it took: OTLP's partial success, which the answer to any
/// export may carry (so many spans, log records or data points, and why). The request still counts as sent: sending it
/// again would be refused again.
/// </summary>
public static class OtlpPartialSuccess
{
    /// <returns><c>3 spans rejected: why</c>, or null when the answer rejects nothing (or is not the answer message).</returns>
    public static string? Of(OtlpSignal signal, ReadOnlySpan<byte> answer)
    {
        if (answer.IsEmpty)
        {
            return null;
        }

        try
        {
            var (rejected, why, items) = signal switch
            {
                OtlpSignal.Traces when ExportTraceServiceResponse.Parser.ParseFrom(answer).PartialSuccess is { } partial =>
                    (partial.RejectedSpans, partial.ErrorMessage, "spans"),
                OtlpSignal.Logs when ExportLogsServiceResponse.Parser.ParseFrom(answer).PartialSuccess is { } partial =>
                    (partial.RejectedLogRecords, partial.ErrorMessage, "log records"),
                OtlpSignal.Metrics when ExportMetricsServiceResponse.Parser.ParseFrom(answer).PartialSuccess is { } partial =>
                    (partial.RejectedDataPoints, partial.ErrorMessage, "data points"),
                _ => (0L, "", ""),
            };

            // A message without a count is a warning the receiver wants said (OTLP's spec).
            return (rejected, why.Length) switch
            {
                (0, 0) => null,
                (0, _) => $"none rejected, with a warning: {why}",
                _ => $"{rejected} {items} rejected{(why.Length > 0 ? ": " + why : "")}",
            };
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
