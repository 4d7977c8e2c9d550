using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using NotesAspire.Dashboard.Otlp.Proto;

namespace NotesAspire.Dashboard.Otlp;

/// <summary>Turns OTLP values into the strings and times the pages show.</summary>
internal static class OtlpValues
{
    public static Dictionary<string, string> ToDictionary(RepeatedField<KeyValue> attributes)
    {
        var result = new Dictionary<string, string>(attributes.Count, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            result[attribute.Key] = ToText(attribute.Value);
        }

        return result;
    }

    public static string ToText(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(ToText)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {ToText(kv.Value)}")) + "}",
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
        _ => "",
    };

    public static string? Find(RepeatedField<KeyValue> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                return ToText(attribute.Value);
            }
        }

        return null;
    }

    public static string ToHex(ByteString id) => Convert.ToHexStringLower(id.Span);

    public static string? ToHexOrNull(ByteString id) => id.IsEmpty || IsAllZero(id.Span) ? null : ToHex(id);

    public static DateTimeOffset ToTime(ulong unixNanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(unixNanoseconds / 100));

    public static bool IsAllZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);
}
