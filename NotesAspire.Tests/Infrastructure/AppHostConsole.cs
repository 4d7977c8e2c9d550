using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// The lines of the AppHost's own logger ("NotesAspire.AppHost"), as its console prints them: added to a testing
/// builder's logging (<c>builder.Services.AddLogging(logging => logging.AddProvider(console))</c>).
/// </summary>
public sealed class AppHostConsole : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => categoryName == "NotesAspire.AppHost" ? new Logger(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(AppHostConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (console._lines)
            {
                console._lines.Add(formatter(state, exception));
            }
        }
    }
}
