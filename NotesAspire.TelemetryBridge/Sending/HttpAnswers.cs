using System.Globalization;
using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>What an HTTP answer means for a request, the same for OTLP/HTTP and the agent's trace API.</summary>
public static class HttpAnswers
{
    /// <summary>
    /// Sends the request; a refused connection or no answer within the client's timeout is worth a retry. With
    /// <paramref name="signal"/>, an OTLP export's: a success is read for what it says it rejected.
    /// </summary>
    public static async Task<SendResult> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken, OtlpSignal? signal = null)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode && signal is { } otlp
                && OtlpPartialSuccess.Of(otlp, await response.Content.ReadAsByteArrayAsync(cancellationToken)) is { } partly)
            {
                return SendResult.PartlySent(partly);
            }

            return await ResultOfAsync(response, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            return SendResult.Retry(exception.Message);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.Retry(Unanswered(http, exception));
        }
    }

    /// <summary>Why a request got no answer: the connection's error, or the client's timeout.</summary>
    public static string Unanswered(HttpClient http, Exception exception) =>
        exception is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:0.#} s" : exception.Message;

    public static async Task<SendResult> ResultOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return SendResult.Sent;
        }

        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = $"it answered {status} {response.ReasonPhrase}{(body.Length > 0 ? ": " + Shorten(body) : "")}";

        // The statuses OTLP/HTTP says to retry (408 too: the request timed out on the way); 413 may take smaller parts;
        // any other is final.
        var code = status.ToString(CultureInfo.InvariantCulture);
        return status switch
        {
            408 or 429 or 502 or 503 or 504 => SendResult.Retry(answer, RetryAfter(response)),
            413 => SendResult.TooLarge(code, answer),
            _ => SendResult.Rejected(code, answer),
        };
    }

    /// <summary>OTLP/HTTP says a client should wait as long as a busy receiver's Retry-After asks (seconds, or a date).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
