using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using NotesAspire.Notes.Data;

namespace NotesAspire.Notes.Api;

/// <summary>
/// The one validation path: a request's parameters (id, desc, add_date) arrive as text, in the query or the path, and
/// are read and checked here, so that every mistake gets a 400 naming the parameter and what is wrong, instead of a
/// framework binding error or a database error. Each handler collects the errors of all its parameters, then answers
/// them at once.
/// </summary>
public static class NoteParameters
{
    /// <summary>" with date 03/22/2022" is added to descriptions that ask for a date.</summary>
    public const int DateSuffixLength = 21;

    public static Dictionary<string, string[]> Errors() => new(StringComparer.Ordinal);

    /// <summary>Whether the request names a note, in the path (<c>/notes/4</c>) or the query (<c>/notes?id=4</c>).</summary>
    public static bool HasId(HttpRequest request) =>
        request.RouteValues.ContainsKey("id") || request.Query.ContainsKey("id");

    /// <summary>The id from the path (<c>/notes/4</c>) or else the query (<c>/notes?id=4</c>); both at once is ambiguous.</summary>
    public static int? Id(HttpRequest request, Dictionary<string, string[]> errors)
    {
        if (!request.RouteValues.TryGetValue("id", out var fromPath))
        {
            return ParseId(request.Query["id"], errors);
        }

        return request.Query.ContainsKey("id")
            ? Fail<int?>(errors, "id", "id must be given once, in the path or in the query; got it in both.")
            : ParseId(Convert.ToString(fromPath, CultureInfo.InvariantCulture), errors);
    }

    // Digits only, checked before parsing: .NET's number parsing ignores trailing NUL characters, so "1\0" would read as 1.
    private static int? ParseId(StringValues values, Dictionary<string, string[]> errors) =>
        Single("id", values, errors) switch
        {
            null => null,
            var text when text.All(char.IsAsciiDigit)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 => id,
            var text => Fail<int?>(errors, "id", $"id must be a whole number from 1 to {int.MaxValue}; got '{Quoting.Shorten(text)}'."),
        };

    public static string? Description(StringValues values, Dictionary<string, string[]> errors, int reserved = 0)
    {
        var text = Single("desc", values, errors);
        var limit = NotesSchema.MaxDescriptionLength - reserved;
        return text switch
        {
            null => null,
            _ when IsBlank(text) => Fail<string?>(errors, "desc", "desc must not be empty."),
            // A terminal's escape sequences, line breaks, NUL (which PostgreSQL's text cannot hold): not a note's text.
            _ when FirstControl(text) is { } control =>
                Fail<string?>(errors, "desc", $"desc must not contain control characters; it has U+{control.Value:X4}."),
            // PostgreSQL's varchar counts characters (code points), not UTF-16 units.
            _ when text.EnumerateRunes().Count() > limit => Fail<string?>(errors, "desc", reserved == 0
                ? $"desc must be at most {limit} characters long."
                : $"desc must be at most {limit} characters long when add_date=y, since the date adds {reserved}."),
            _ => text,
        };
    }

    /// <summary>Nothing anyone would see: white space and invisible characters only.</summary>
    private static bool IsBlank(string text) =>
        text.EnumerateRunes().All(rune => Rune.IsWhiteSpace(rune) || IsInvisible(rune));

    /// <summary>
    /// Unicode's default-ignorable code points (Default_Ignorable_Code_Point, DerivedCoreProperties.txt), which a text
    /// shows nothing for: most format characters (a zero-width space, a byte order mark), variation selectors, the
    /// combining grapheme joiner, Hangul fillers, Mongolian selectors; and the blank Braille cell, drawn as nothing.
    /// </summary>
    private static bool IsInvisible(Rune rune) => rune.Value switch
    {
        // Format characters that show: prepended concatenation marks (U+0600 ARABIC NUMBER SIGN...), interlinear
        // annotation, Egyptian hieroglyph format controls.
        >= 0x0600 and <= 0x0605 or 0x06DD or 0x070F or 0x0890 or 0x0891 or 0x08E2 or 0x110BD or 0x110CD
            or >= 0xFFF9 and <= 0xFFFB or >= 0x13430 and <= 0x1343F => false,
        0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or >= 0x180B and <= 0x180F or 0x2065 or 0x2800 or 0x3164
            or >= 0xFE00 and <= 0xFE0F or 0xFFA0 or >= 0xFFF0 and <= 0xFFF8 or >= 0xE0000 and <= 0xE0FFF => true,
        _ => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format,
    };

    private static Rune? FirstControl(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return rune;
            }
        }

        return null;
    }

    /// <summary><c>add_date</c> is optional; y or n in any case, as the tutorial types it.</summary>
    public static bool AddDate(StringValues values, Dictionary<string, string[]> errors) =>
        values.Count > 0 && Single("add_date", values, errors) switch
        {
            null => false,
            var text when text.Equals("y", StringComparison.OrdinalIgnoreCase) => true,
            var text when text.Equals("n", StringComparison.OrdinalIgnoreCase) => false,
            var text => Fail<bool>(errors, "add_date", $"add_date must be y or n; got '{Quoting.Shorten(text)}'."),
        };

    public static void Require(string name, object? value, Dictionary<string, string[]> errors)
    {
        if (value is null && !errors.ContainsKey(name))
        {
            errors[name] = [$"{name} is required."];
        }
    }

    private static string? Single(string name, StringValues values, Dictionary<string, string[]> errors) =>
        values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => Fail<string?>(errors, name, $"{name} must be given once; got it {values.Count} times."),
        };

    private static T Fail<T>(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return default!;
    }
}
