using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NotesAspire.Dashboard.Pages;

/// <summary>Serves the single-page app (wwwroot/, embedded in this assembly) from memory.</summary>
internal static class EmbeddedPages
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(Load);

    public static IEndpointConventionBuilder MapEmbeddedPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("");
        pages.MapGet("/", () => Serve("index.html"));
        pages.MapGet("/{file}", (string file) => Serve(file));
        return pages;
    }

    private static IResult Serve(string file) =>
        Files.Value.TryGetValue(file, out var content)
            ? Results.Bytes(content, ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"))
            : Results.NotFound();

    private static FrozenDictionary<string, byte[]> Load()
    {
        const string prefix = "wwwroot/";
        var assembly = typeof(EmbeddedPages).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[prefix.Length..], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            });
    }
}
