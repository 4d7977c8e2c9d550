using System.Reflection;
using System.Runtime.CompilerServices;
using Aspire.Hosting;

namespace NotesAspire.AppHost.Hosting;

/// <summary>
/// A setting our extensions refuse (a <see cref="DistributedApplicationException"/> thrown by this assembly, while the model
/// is built or in BeforeStartEvent) ends the AppHost with its message alone and exit code 1. As an unhandled exception,
/// the one line saying what to change was buried in a stack trace that says nothing to someone who only set a variable.
/// </summary>
/// <remarks>
/// Not a try/catch in Program.cs: it would no longer be a thin app model, and Aspire.Hosting.Testing, which runs
/// Program.cs to build the model, would see an entry point that returned instead of the refusal the tests read. Aspire's
/// own exceptions keep their stack: they may be a mistake in Program.cs, which the stack points at.
/// </remarks>
internal static class Refusals
{
    public const int ExitCode = 1;

    /// <summary>Only where the AppHost is the program (dotnet run, aspire run): in a test host, a failure is the test's to read.</summary>
    private static bool AppHostIsTheProgram => Assembly.GetEntryAssembly() == typeof(Refusals).Assembly;

    /// <summary>The AppHost failed at its work after it started (<see cref="FailedPublishExitCode"/>); the host ends it as it would a success.</summary>
    public static void EndWithFailure()
    {
        if (AppHostIsTheProgram)
        {
            Environment.ExitCode = ExitCode;
        }
    }

    [ModuleInitializer]
    internal static void EndTheProgramWithTheMessageAlone()
    {
        if (!AppHostIsTheProgram)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, args) =>
        {
            if (OursIn(args.ExceptionObject) is { } refusal)
            {
                Console.Error.WriteLine(refusal.Message);
                // Before the runtime prints the stack and aborts; nothing has started yet that needs stopping.
                Environment.Exit(ExitCode);
            }
        };
    }

    /// <summary>Our refusal, also as <c>Run()</c> hands on a BeforeStartEvent's failure: inside an AggregateException.</summary>
    private static DistributedApplicationException? OursIn(object exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception is DistributedApplicationException refusal && refusal.TargetSite?.DeclaringType?.Assembly == typeof(Refusals).Assembly
            ? refusal
            : null;
    }
}
