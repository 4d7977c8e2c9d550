using System.Globalization;

namespace NotesAspire.Notes.Calendar;

/// <summary>The calendar service, reached through service discovery with the standard resilience handler.</summary>
public sealed class CalendarClient(HttpClient http)
{
    private const string DateFormat = "MM/dd/yyyy";

    /// <summary>A date as the calendar gives it, e.g. <c>03/22/2022</c>.</summary>
    /// <exception cref="CalendarUnavailableException">The calendar did not answer in time, failed, or answered something else than a date.</exception>
    public async Task<string> GetDateAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            using var response = await http.GetAsync("/calendar", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CalendarUnavailableException($"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or Polly.ExecutionRejectedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CalendarUnavailableException(exception.Message, exception);
        }

        return DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? text
            : throw new CalendarUnavailableException($"it answered '{Quoting.Shorten(text)}', which is not a {DateFormat} date");
    }
}
