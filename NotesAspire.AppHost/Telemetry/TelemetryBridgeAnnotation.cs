using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Telemetry;

/// <summary>
/// Marks the project that <see cref="TelemetryBridgeBuilderExtensions.AddTelemetryBridge"/> added, so that what extends
/// the bridge alone can check for it. The bridge is a plain <see cref="ProjectResource"/>: a subclass would lose the
/// defaults AddProject gives a project (endpoints, OTLP settings, launch profile), which it cannot be given another way.
/// </summary>
internal sealed class TelemetryBridgeAnnotation : IResourceAnnotation;
