using System.Net;
using System.Text.Json;
using NotesAspire.TelemetryBridge.Sending;

namespace NotesAspire.TelemetryBridge.TraceApi;

/// <summary>
/// What the trace agent's <c>GET /info</c> says of its trace API: whether it lists <c>/v0.4/traces</c>, and the largest
/// payload it takes (<c>config.max_request_bytes</c>, set by <c>apm_config.max_payload_size</c>). Past that limit the
/// agent answers 413 without reading the payload and closes the connection, which .NET's client reports as a broken
/// connection, not as the 413: so the bridge must know the limit before it sends.
/// </summary>
/// <param name="Answered">Whether the agent answered at all (an agent that does not is down, or not there).</param>
/// <param name="Said">What the agent's answer was, for the console.</param>
public sealed record AgentInfo(bool Answered, bool ListsTraceApi, int MaxPayloadBytes, string Said)
{
    /// <summary>The agent's default limit (<c>apm_config.max_payload_size</c>), for an agent whose /info does not say.</summary>
    public const int DefaultMaxPayloadBytes = 25 * 1024 * 1024;

    public static async Task<AgentInfo> AskAsync(HttpClient http, Uri agent, CancellationToken cancellationToken)
    {
        var info = new Uri(agent.AsBase(), "info");
        try
        {
            using var response = await http.GetAsync(info, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new(true, true, DefaultMaxPayloadBytes, "its trace API answers, without /info (an agent older than 7.28: /v0.4/traces assumed)");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new(true, false, DefaultMaxPayloadBytes, $"{info.Shown()} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = json.RootElement;
            var endpoints = root.TryGetProperty("endpoints", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
            var version = root.TryGetProperty("version", out var v) ? v.ToString() : "unknown";
            var limit = root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("max_request_bytes", out var bytes) && bytes.TryGetInt64(out var given) && given > 0
                    ? (int)Math.Min(given, int.MaxValue)
                    : DefaultMaxPayloadBytes;
            return endpoints.Contains("/" + TraceApiSender.TracesPath)
                ? new(true, true, limit, $"the agent {version} answers on its trace API and its /info lists /{TraceApiSender.TracesPath}")
                : new(true, false, limit, $"the agent {version}'s /info does not list /{TraceApiSender.TracesPath} ({string.Join(", ", endpoints)})");
        }
        catch (JsonException exception)
        {
            return new(true, false, DefaultMaxPayloadBytes, $"{info.Shown()} answered what is not JSON: {exception.Message}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new(false, false, DefaultMaxPayloadBytes, HttpAnswers.Unanswered(http, exception));
        }
    }
}
