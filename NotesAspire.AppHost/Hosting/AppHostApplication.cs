using System.Runtime.InteropServices;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Publishing;
using NotesAspire.AppHost.Running;

namespace NotesAspire.AppHost.Hosting;

/// <summary>The built application: runs it, publishes it or prints the usage, as the command line asks.</summary>
public sealed class AppHostApplication(AppModel model, string[] args)
{
    public AppModel Model { get; } = model;

    /// <returns>The process exit code.</returns>
    public async Task<int> RunAsync()
    {
        if (args is ["publish", ..])
        {
            return await Publisher.RunAsync(Model, args);
        }

        AppHostOptions options;
        try
        {
            options = AppHostOptions.Parse(args, Model);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync($"{exception.Message} See --help.");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(AppHostOptions.Usage(Model));
            return 0;
        }

        using var shutdown = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            // The first Ctrl+C or SIGTERM stops gracefully; a second one ends the AppHost at once (its children with it).
            signal.Cancel = !shutdown.IsCancellationRequested;
            shutdown.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await new Orchestrator(Model, options).RunAsync(shutdown.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException
            or FormatException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // What the user can fix (no PostgreSQL, a state folder out of reach, a bad address or a damaged state file, a
            // program that cannot be started) deserves a sentence, not a stack trace.
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return 1;
        }
    }
}
