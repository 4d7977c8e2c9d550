using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace NotesAspire.Calendar;

public static class CalendarApi
{
    private static readonly DateOnly FirstDay = new(2022, 1, 1);
    private static readonly int DaysInYear = FirstDay.AddYears(1).DayNumber - FirstDay.DayNumber;

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        app.MapGetAndHead("/", Welcome);
        app.MapGetAndHead("/calendar", RandomDate);
        return app;
    }

    public static ContentHttpResult Welcome() => TypedResults.Text("Welcome to the calendar app!");

    /// <summary>A random day of 2022 as MM/dd/yyyy. Random.Next's upper bound is exclusive, so 01/01/2023 never comes out.</summary>
    public static ContentHttpResult RandomDate() =>
        TypedResults.Text(FirstDay.AddDays(Random.Shared.Next(DaysInYear)).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
}
