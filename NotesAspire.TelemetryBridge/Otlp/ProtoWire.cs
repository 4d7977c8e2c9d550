using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>The protobuf wire types (https://protobuf.dev/programming-guides/encoding/); OTLP uses no groups.</summary>
public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Reads protobuf's wire format field by field, straight from the received bytes. Google.Protobuf's readers hand out
/// copies (strings, ByteStrings, messages); this hands out slices of the input, so the bridge can look at a few fields
/// of every span and pass the rest on as it came. Anything that is not well-formed throws <see cref="InvalidDataException"/>.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    /// <summary>Protobuf's largest field number, 2^29 - 1: a larger one is not protobuf, and parsers would read it as another field.</summary>
    private const ulong MaxField = (1 << 29) - 1;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;
    private int _fieldStart;

    /// <summary>
    /// The whole of the current field, tag included, once its value has been read or skipped: what to copy to pass it on
    /// unchanged.
    /// </summary>
    public readonly ReadOnlySpan<byte> Field => _data[_fieldStart.._position];

    /// <summary>Where the current field starts in the input.</summary>
    public readonly int FieldStart => _fieldStart;

    public bool Next(out int field, out WireType type)
    {
        _fieldStart = _position;
        if (_position == _data.Length)
        {
            (field, type) = (0, default);
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        type = (WireType)(tag & 7);
        if (field <= 0 || tag >> 3 > MaxField || type is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw new InvalidDataException($"Malformed protobuf: tag {tag} at byte {_fieldStart}.");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position == _data.Length)
            {
                throw new InvalidDataException("Malformed protobuf: the message ends inside a varint.");
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed protobuf: a varint longer than 10 bytes.");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        return length > (ulong)(_data.Length - _position)
            ? throw new InvalidDataException("Malformed protobuf: a length past the end of the message.")
            : Take((int)length);
    }

    /// <summary>
    /// Reads a length-delimited field like <see cref="ReadLengthDelimited"/>, but says where its content sits in the
    /// input instead: for a caller that keeps places in the input, not slices of it.
    /// </summary>
    public Range ReadLengthDelimitedRange()
    {
        var content = ReadLengthDelimited();
        return (_position - content.Length).._position;
    }

    public void Skip(WireType type)
    {
        _ = type switch
        {
            WireType.Varint => ReadVarint(),
            WireType.Fixed64 => ReadFixed64(),
            WireType.Fixed32 => BinaryPrimitives.ReadUInt32LittleEndian(Take(4)),
            _ => (ulong)ReadLengthDelimited().Length,
        };
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _data.Length - _position)
        {
            throw new InvalidDataException("Malformed protobuf: the message ends inside a field.");
        }

        var taken = _data.Slice(_position, length);
        _position += length;
        return taken;
    }
}

/// <summary>
/// Writes protobuf's wire format into one pooled buffer, at most <paramref name="maxBytes"/> long (past it,
/// <see cref="InvalidDataException"/>). A nested message's length is known only once it is written, so
/// <see cref="BeginMessage"/> leaves room for the longest length and <see cref="EndMessage"/> closes the gap: no
/// buffer per message, no second pass to measure.
/// </summary>
public sealed class ProtoWriter(int capacity, int maxBytes) : IDisposable
{
    // A length, like any 32-bit varint, takes at most 5 bytes.
    private const int MaxLengthBytes = 5;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    private int _length;

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Room(bytes.Length));

    public void WriteTag(int field, WireType type) => WriteVarint(((uint)field << 3) | (uint)type);

    public void WriteString(int field, string value)
    {
        WriteTag(field, WireType.LengthDelimited);
        var bytes = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)bytes);
        Encoding.UTF8.GetBytes(value, Room(bytes));
    }

    public void WriteLength(int length) => WriteVarint((uint)length);

    /// <summary>A length-delimited field whose content is already encoded: a message passed on as it came.</summary>
    public void WriteField(int field, ReadOnlySpan<byte> content)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteLength(content.Length);
        WriteRaw(content);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8, <paramref name="utf8Length"/> bytes long (no tag, no length).</summary>
    public void WriteUtf8(string value, int utf8Length) => Encoding.UTF8.GetBytes(value, Room(utf8Length));

    /// <summary>What has been written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Starts over, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>
    /// The bytes a length-delimited field of <paramref name="contentLength"/> bytes takes, tag included, for a field
    /// number below 16 (a one-byte tag), as all the fields the bridge writes are.
    /// </summary>
    public static int FieldLength(int contentLength) => 1 + VarintLength((uint)contentLength) + contentLength;

    private static int VarintLength(uint value) => value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;

    /// <summary>Starts a length-delimited field; returns where its content starts, for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int field)
    {
        WriteTag(field, WireType.LengthDelimited);
        Room(MaxLengthBytes);
        return _length;
    }

    public void EndMessage(int contentStart)
    {
        var contentLength = _length - contentStart;
        Span<byte> prefix = stackalloc byte[MaxLengthBytes];
        var prefixLength = Varint((uint)contentLength, prefix);
        var lengthAt = contentStart - MaxLengthBytes;
        prefix[..prefixLength].CopyTo(_buffer.AsSpan(lengthAt));
        _buffer.AsSpan(contentStart, contentLength).CopyTo(_buffer.AsSpan(lengthAt + prefixLength));
        _length -= MaxLengthBytes - prefixLength;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void WriteVarint(uint value)
    {
        var written = Varint(value, Room(MaxLengthBytes));
        _length -= MaxLengthBytes - written;
    }

    private static int Varint(uint value, Span<byte> into)
    {
        var i = 0;
        for (; value >= 0x80; value >>= 7)
        {
            into[i++] = (byte)(value | 0x80);
        }

        into[i++] = (byte)value;
        return i;
    }

    /// <summary>Grows the written part by <paramref name="length"/> bytes and returns them.</summary>
    private Span<byte> Room(int length)
    {
        if ((long)_length + length > maxBytes)
        {
            throw new InvalidDataException($"The message would be larger than {maxBytes} bytes.");
        }

        if (_length + length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(_buffer.Length * 2L, _length + length), maxBytes));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var room = _buffer.AsSpan(_length, length);
        _length += length;
        return room;
    }
}
