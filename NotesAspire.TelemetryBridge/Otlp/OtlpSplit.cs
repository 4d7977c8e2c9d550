namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>
/// Splits an OTLP export request in two, for a destination that refuses it as too large (Aspire's dashboard takes
/// 4 MiB, as gRPC servers do by default; the bridge takes 16). Traces, logs and metrics share one shape, so one split
/// serves all three: request { 1: per resource { 1: resource, 2: per scope { 1: scope, 2: span, log record or metric } } }.
/// </summary>
public static class OtlpSplit
{
    private const int Resources = 1, Scopes = 2, Items = 2;
    private const int ItemLevel = 2;

    /// <summary>
    /// Two requests that together hold every item of <paramref name="request"/> once, each with its own resource and
    /// scope, split at the first level that has more than one of something: its resources, else its resource's scopes,
    /// else its scope's items. Null for a request of one item, which cannot be split.
    /// </summary>
    public static (byte[] First, byte[] Second)? Halves(ReadOnlySpan<byte> request) => Split(request, level: 0);

    private static (byte[] First, byte[] Second)? Split(ReadOnlySpan<byte> message, int level)
    {
        var childField = level switch { 0 => Resources, 1 => Scopes, _ => Items };
        var reader = new ProtoReader(message);
        var rest = new List<Range>();
        var children = new List<Range>();
        while (reader.Next(out var field, out var type))
        {
            if (field == childField && type == WireType.LengthDelimited)
            {
                children.Add(reader.ReadLengthDelimitedRange());
            }
            else
            {
                reader.Skip(type);
                rest.Add(reader.FieldStart..(reader.FieldStart + reader.Field.Length));
            }
        }

        if (children.Count >= 2)
        {
            // Halves of about the same size, not the same count: one large item should not make one half nearly all of it.
            var (half, sum, at) = (message.Length / 2, 0, 0);
            while (at < children.Count - 1 && (at == 0 || sum + Length(children[at]) <= half))
            {
                sum += Length(children[at++]);
            }

            return (Build(message, rest, childField, children[..at], nested: null), Build(message, rest, childField, children[at..], nested: null));
        }

        if (children.Count == 1 && level < ItemLevel && Split(message[children[0]], level + 1) is var (first, second))
        {
            return (Build(message, rest, childField, [], first), Build(message, rest, childField, [], second));
        }

        return null;
    }

    private static int Length(Range range) => range.End.Value - range.Start.Value;

    /// <summary>The message's other fields (its resource or scope), then the children: ranges of it, or one split below.</summary>
    private static byte[] Build(ReadOnlySpan<byte> message, List<Range> rest, int childField, List<Range> children, byte[]? nested)
    {
        // Sized to fit (a child's tag takes a byte, its length at most five): a buffer the size of the whole message for
        // each half would double what a split of a large request holds.
        var size = rest.Sum(Length) + children.Sum(child => 6 + Length(child)) + (nested is null ? 0 : 6 + nested.Length);
        using var output = new ProtoWriter(size, size);
        foreach (var field in rest)
        {
            output.WriteRaw(message[field]);
        }

        foreach (var child in children)
        {
            output.WriteField(childField, message[child]);
        }

        if (nested is not null)
        {
            output.WriteField(childField, nested);
        }

        return output.ToArray();
    }
}
