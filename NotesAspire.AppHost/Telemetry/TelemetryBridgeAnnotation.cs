using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Telemetry;

/// <summary>
/// Marks the project that <see cref="TelemetryBridgeBuilderExtensions.AddTelemetryBridge"/> added. The bridge is a plain
/// <see cref="ProjectResource"/> (Aspire's project defaults come only with AddProject), so what extends the bridge alone
/// checks for this instead of a type.
/// </summary>
internal sealed class TelemetryBridgeAnnotation : IResourceAnnotation;
