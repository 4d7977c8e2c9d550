using System.Buffers.Binary;
using System.IO.Compression;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// A gzip body (OTLP/HTTP's <c>Content-Encoding: gzip</c>, OTLP/gRPC's <c>grpc-encoding: gzip</c>) inflated, taken only
/// when its gzip stream really ended: one gzip member (what OTLP senders write), its trailer the body's last 8 bytes.
/// </summary>
public static class GzipBody
{
    // A gzip member's 10-byte header and 8-byte trailer (CRC-32, then ISIZE: the inflated length mod 2^32).
    private const int HeaderAndTrailer = 18;

    /// <summary>
    /// The inflated bytes of <paramref name="compressed"/>, or null past <paramref name="maxBytes"/> (a gzip bomb stops
    /// there). Throws <see cref="InvalidDataException"/> when it is not one complete gzip stream.
    /// </summary>
    public static MemoryStream? Inflate(ArraySegment<byte> compressed, int maxBytes)
    {
        var inflated = new MemoryStream((int)Math.Min(4L * compressed.Count, maxBytes));
        if (compressed.Count == 0)
        {
            // What .NET's GZipStream writes when nothing is written to it: an empty body, as without gzip.
            return inflated;
        }

        using (var gzip = new GZipStream(new MemoryStream(compressed.Array!, compressed.Offset, compressed.Count, writable: false), CompressionMode.Decompress))
        {
            var chunk = new byte[81_920];
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (inflated.Length + read > maxBytes)
                {
                    return null;
                }

                inflated.Write(chunk, 0, read);
            }
        }

        // GZipStream checks a trailer it reaches, but ends silently when the body ends before it (cut short, say at a
        // flush point), and skips whatever follows a member unless it is another gzip header. So the last 8 bytes must
        // be the trailer of what was inflated: cut short or followed by other bytes, they are not (but for a 2^-32 chance).
        if (compressed.Count < HeaderAndTrailer || BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Count - 4)) != (uint)inflated.Length)
        {
            throw new InvalidDataException(
                "The gzip stream does not end where the body does: it is cut short, followed by other bytes, or more than one gzip member (one is taken, as OTLP senders write).");
        }

        return inflated;
    }
}
