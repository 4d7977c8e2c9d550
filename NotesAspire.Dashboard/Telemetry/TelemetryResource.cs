namespace NotesAspire.Dashboard.Telemetry;

/// <summary>The OTLP resource that sent some telemetry: a service instance and its attributes.</summary>
public sealed record TelemetryResource(string ServiceName, string? InstanceId, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The service name shown for telemetry whose resource has no <c>service.name</c>.</summary>
    public const string UnknownService = "unknown_service";
}
