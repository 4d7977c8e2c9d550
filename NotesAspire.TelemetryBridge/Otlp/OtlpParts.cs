using System.Text;
using System.Text.Unicode;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>
/// Parts of an OTLP request read on their own, as the parser of the whole request (the trace API sender's, the
/// dashboard's) would read them where they sit: a part that passes here must pass there.
/// </summary>
public static class OtlpParts
{
    // Google.Protobuf's default recursion limit, which every parser of a whole request uses.
    private const int MaxNesting = 100;

    private const string AttributeValue = "An attribute's value";

    private const int AnyValueString = 1, AnyValueBool = 2, AnyValueInt = 3, AnyValueDouble = 4, AnyValueArray = 5, AnyValueList = 6;

    /// <summary>
    /// <paramref name="text"/>, a string field, when it is UTF-8: protobuf's parsers refuse a whole request for one string
    /// that is not, so the dashboard would refuse every span sent with it.
    /// </summary>
    public static ReadOnlySpan<byte> Utf8Text(ReadOnlySpan<byte> text, string what) =>
        Utf8.IsValid(text) ? text : throw new InvalidDataException($"{what} is not valid UTF-8.");

    /// <summary>
    /// Checks an AnyValue nobody reads, <paramref name="depth"/> levels down the request: a scalar by its framing (and a
    /// string's text), an array or a key-value list (rare in spans) by the parser.
    /// </summary>
    public static void CheckValue(ReadOnlySpan<byte> anyValue, int depth)
    {
        var reader = new ProtoReader(anyValue);
        while (reader.Next(out var field, out var type))
        {
            if (field is AnyValueArray or AnyValueList && type == WireType.LengthDelimited)
            {
                ParseAt(AnyValue.Parser, anyValue, depth);
                return;
            }

            if (field == AnyValueString && type == WireType.LengthDelimited)
            {
                Utf8Text(reader.ReadLengthDelimited(), AttributeValue);
                continue;
            }

            reader.Skip(type);
        }
    }

    /// <summary>An AnyValue as <see cref="OtlpValues.ToText"/> writes it; the rare composite values go through the parsed message.</summary>
    public static string ValueText(ReadOnlySpan<byte> anyValue, int depth)
    {
        var reader = new ProtoReader(anyValue);
        if (!reader.Next(out var field, out var type))
        {
            return "";
        }

        // A value of one field, as every SDK writes it, is read here; anything else as the parser reads it (the last
        // field of a oneof wins), so that the preview says what the trace API's copy, which is parsed, says.
        var rest = reader;
        rest.Skip(type);
        if (rest.Next(out _, out _))
        {
            return OtlpValues.ToText(ParseAt(AnyValue.Parser, anyValue, depth));
        }

        return (field, type) switch
        {
            (AnyValueString, WireType.LengthDelimited) => Encoding.UTF8.GetString(Utf8Text(reader.ReadLengthDelimited(), AttributeValue)),
            (AnyValueBool, WireType.Varint) => reader.ReadVarint() != 0 ? "true" : "false",
            (AnyValueInt, WireType.Varint) => OtlpValues.ToText(new AnyValue { IntValue = (long)reader.ReadVarint() }),
            (AnyValueDouble, WireType.Fixed64) => OtlpValues.ToText(new AnyValue { DoubleValue = BitConverter.UInt64BitsToDouble(reader.ReadFixed64()) }),
            _ => OtlpValues.ToText(ParseAt(AnyValue.Parser, anyValue, depth)),
        };
    }

    /// <summary>
    /// Parses a part of the request on its own with the nesting its place leaves: the whole request's parser (the trace
    /// API sender's, the dashboard's) allows 100 levels from the request down, so a value that nests 50 levels deep as
    /// its own message may not fit where it sits.
    /// </summary>
    public static T ParseAt<T>(MessageParser<T> parser, ReadOnlySpan<byte> part, int depth)
        where T : IMessage<T>
    {
        // Every level of nesting takes at least two bytes (a tag and a length): a part shorter than twice the levels
        // left cannot pass them, and an array attribute or an event usually is that short. A longer one is checked on
        // a stream, the only input that takes a recursion limit, at the cost of a copy and a second parse; but parsing a
        // stream stops quietly at an end-group tag, which parsing the request refuses, so the part is parsed as the
        // request's parser reads it too.
        if (part.Length >= 2 * (MaxNesting - depth + 1))
        {
            using var input = CodedInputStream.CreateWithLimits(new MemoryStream(part.ToArray(), writable: false), int.MaxValue, MaxNesting - depth);
            parser.ParseFrom(input);
        }

        return parser.ParseFrom(part);
    }
}
