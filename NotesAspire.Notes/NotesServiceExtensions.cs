using NotesAspire.Notes.Calendar;
using NotesAspire.Notes.Data;

namespace NotesAspire.Notes;

public static class NotesServiceExtensions
{
    /// <summary>The calendar is asked while a user waits: give up within seconds and say so, rather than hang.</summary>
    private static readonly TimeSpan CalendarTotalTimeout = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddNotes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NoteStore>();
        builder.Services.AddHostedService<NotesSchema>();
        builder.Services.AddExceptionHandler<DatabaseErrorHandler>();

        // "http://calendar" is resolved by service discovery from services__calendar__http__0.
        // The default handler from ServiceDefaults retries for up to 30 s; this one replaces it for the calendar.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001); it is the documented way to replace the default.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<CalendarClient>(client => client.BaseAddress = new Uri("http://calendar"))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.TotalRequestTimeout.Timeout = CalendarTotalTimeout;
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
