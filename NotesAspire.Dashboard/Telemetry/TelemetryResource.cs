namespace NotesAspire.Dashboard.Telemetry;

/// <summary>The OTLP resource that sent some telemetry: a service instance and its attributes.</summary>
public sealed record TelemetryResource(string ServiceName, string? InstanceId, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>What the OpenTelemetry SDKs call a service that did not name itself is their business; this is ours for a resource without <c>service.name</c>.</summary>
    public const string UnknownService = "unknown_service";
}
