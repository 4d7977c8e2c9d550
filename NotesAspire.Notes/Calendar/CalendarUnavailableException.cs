namespace NotesAspire.Notes.Calendar;

/// <param name="reason">Why, as one sentence; an inner exception's message often ends with its own full stop.</param>
public sealed class CalendarUnavailableException(string reason, Exception? inner = null)
    : Exception($"The calendar service is unavailable: {reason.TrimEnd('.')}.", inner);
