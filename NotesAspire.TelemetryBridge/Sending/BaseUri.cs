namespace NotesAspire.TelemetryBridge.Sending;

internal static class BaseUri
{
    /// <summary>
    /// The URL with a trailing slash: only then do relative paths resolve under its own path
    /// (<c>http://agent/otlp</c> and <c>v1/traces</c> would give <c>http://agent/v1/traces</c>).
    /// </summary>
    public static Uri AsBase(this Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>
    /// The URL as the console and <c>/api/stats</c> show it: user info, a password or a token, as <c>***</c>
    /// (<c>http://***@agent:4318/</c>). The senders send no credentials from it; a URL given with them still names them.
    /// </summary>
    public static string Shown(this Uri uri) =>
        uri.UserInfo.Length == 0 ? uri.AbsoluteUri : new UriBuilder(uri) { UserName = "***", Password = "" }.Uri.AbsoluteUri;
}
