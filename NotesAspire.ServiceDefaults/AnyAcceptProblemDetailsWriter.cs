using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace NotesAspire.ServiceDefaults;

/// <summary>
/// ASP.NET Core's problem details writer, asked to write whatever the request's Accept says. On its own it writes only
/// for a client that accepts JSON, and leaves any other an empty body (an exception's 503) or status code pages' bare
/// "Status Code: 404": a client that asks for text/html would learn nothing of what is wrong. Wrapped, not rewritten,
/// so its defaults (type, title, traceId), the customization and its JSON stay the framework's, on every path.
/// </summary>
internal sealed class AnyAcceptProblemDetailsWriter(IProblemDetailsWriter aspNetCoreWriter) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) => aspNetCoreWriter.WriteAsync(context);

    /// <summary>Puts the wrapper in place of the writer <c>AddProblemDetails</c> registered, its only one.</summary>
    public static void Wrap(IServiceCollection services)
    {
        var aspNetCore = services.Single(service => service.ServiceType == typeof(IProblemDetailsWriter));
        services.Remove(aspNetCore);
        services.AddSingleton<IProblemDetailsWriter>(provider => new AnyAcceptProblemDetailsWriter(
            (IProblemDetailsWriter)ActivatorUtilities.CreateInstance(provider, aspNetCore.ImplementationType!)));
    }
}
