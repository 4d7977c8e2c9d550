using System.Net;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace NotesAspire.AppHost.Hosting;

/// <summary>
/// Reading the AppHost's settings, and refusing one, in the same words everywhere: a refusal names the setting as users
/// set it, quotes what they gave (user info hidden) and says what it takes.
/// </summary>
internal static class Settings
{
    /// <summary>
    /// A setting as users give it, an environment variable (docs/), then the configuration key the AppHost reads
    /// (command line, user secrets, appsettings): <c>Datadog__Protocol (Datadog:Protocol)</c>; <c>DD_SITE</c> alone.
    /// </summary>
    public static string Named(string key) => key.Contains(':') ? $"{Variable(key)} ({key})" : key;

    /// <summary>The environment variable of a configuration key: <c>Datadog__Protocol</c> for <c>Datadog:Protocol</c>.</summary>
    public static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>"{setting} is '{value}'; it takes {takes}.", the refusal of every setting.</summary>
    public static DistributedApplicationException Refusal(string key, string value, string takes) =>
        new($"{Named(key)} is '{Redacted(value)}'; it takes {takes}.");

    /// <summary>
    /// A port from 1 to 65535, or <paramref name="defaultPort"/> when unset or empty (<c>export Ports__notes=</c>). 0 would
    /// ask the kernel for any port.
    /// </summary>
    public static int Port(IConfiguration configuration, string key, int defaultPort) =>
        configuration[key] is not { Length: > 0 } value ? defaultPort
        : int.TryParse(value, out var port) && port is >= 1 and <= IPEndPoint.MaxPort ? port
        : throw Refusal(key, value, $"a port number from 1 to {IPEndPoint.MaxPort}");

    /// <summary>
    /// A setting as given, user info (a password, a token) replaced by <c>***</c>: <c>http://***@host:4318</c>. Everything
    /// from after the scheme, or from the start, to the last '@' goes, so a password holding '/', '@' or "://" does not
    /// show either.
    /// </summary>
    public static string Redacted(string value)
    {
        var at = value.LastIndexOf('@');
        if (at < 0)
        {
            return value;
        }

        // A scheme is a letter, then letters, digits, '+', '-' or '.': "user:a://b@agent" has none.
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var start = scheme > 0 && scheme < at && char.IsAsciiLetter(value[0])
            && value[..scheme].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? scheme + "://".Length : 0;
        return $"{value[..start]}***{value[at..]}";
    }
}
