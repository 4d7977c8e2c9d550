using System.Net.Http.Headers;
using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>OTLP/HTTP with protobuf bodies: POST to <c>{endpoint}/v1/traces</c> and so on, the body as it is.</summary>
public sealed class OtlpHttpSender : IOtlpSender
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly Uri _endpoint;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly HttpClient _http;
    private readonly int _maxRequestBytes;

    /// <param name="maxRequestBytes">
    /// The receiver's largest request, when it refuses a bigger one with an answer that does not say so (not 413): a
    /// bigger request is split without being sent.
    /// </param>
    public OtlpHttpSender(Uri endpoint, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout, int maxRequestBytes = int.MaxValue)
    {
        _endpoint = endpoint.AsBase();
        _headers = headers;
        _maxRequestBytes = maxRequestBytes;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = timeout,
        };
    }

    public string Target => _endpoint.Shown();

    public async Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken)
    {
        if (export.Body.Length > _maxRequestBytes)
        {
            return SendResult.TooLarge("413", $"the request is {export.Body.Length} bytes, past the receiver's limit of {_maxRequestBytes}");
        }

        using var content = new ReadOnlyMemoryContent(export.Body);
        content.Headers.ContentType = Protobuf;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, OtlpPaths.Of(export.Signal))) { Content = content };
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await HttpAnswers.SendAsync(_http, request, cancellationToken, export.Signal);
    }

    public void Dispose() => _http.Dispose();
}
