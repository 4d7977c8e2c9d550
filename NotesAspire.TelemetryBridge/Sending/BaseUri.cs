namespace NotesAspire.TelemetryBridge.Sending;

internal static class BaseUri
{
    /// <summary>
    /// The URL with a trailing slash: only then do relative paths resolve under its own path
    /// (<c>http://agent/otlp</c> and <c>v1/traces</c> would give <c>http://agent/v1/traces</c>).
    /// </summary>
    public static Uri AsBase(this Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
