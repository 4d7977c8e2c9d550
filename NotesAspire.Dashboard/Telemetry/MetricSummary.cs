namespace NotesAspire.Dashboard.Telemetry;

/// <summary>A metric a resource sends: the dashboard counts its data points rather than keeping them.</summary>
public sealed record MetricSummary(string Service, string Scope, string Name, string Unit, string Type, long DataPoints, DateTimeOffset LastSeen);
