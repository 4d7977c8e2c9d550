using System.Globalization;
using Google.Protobuf.Collections;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>Turns OTLP attribute values into the strings the naming rules compare.</summary>
public static class OtlpValues
{
    public static Dictionary<string, string> ToDictionary(RepeatedField<KeyValue>? attributes)
    {
        var result = new Dictionary<string, string>(attributes?.Count ?? 0, StringComparer.Ordinal);
        foreach (var attribute in attributes ?? [])
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
}
