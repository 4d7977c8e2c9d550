namespace NotesAspire.Notes.Calendar;

public static class CalendarClientExtensions
{
    /// <summary>The calendar is asked while a user waits: give up within seconds and say so, rather than hang.</summary>
    private static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The calendar service at "http://calendar", which service discovery resolves from <c>services__calendar__http__0</c>.
    /// ServiceDefaults' resilience handler retries for up to 30 s; this one replaces it for the calendar.
    /// </summary>
    public static IHostApplicationBuilder AddCalendarClient(this IHostApplicationBuilder builder)
    {
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001); it is the documented way to replace the default.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<CalendarClient>(client => client.BaseAddress = new Uri("http://calendar"))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.TotalRequestTimeout.Timeout = TotalTimeout;
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(100);
                // The breaker must sample over at least two attempts' time, or the options fail validation.
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            });
#pragma warning restore EXTEXP0001

        return builder;
    }
}
