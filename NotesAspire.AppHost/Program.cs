var builder = DistributedApplication.CreateBuilder(args);

// Datadog's unified service tags, once for every service: DD_SERVICE (the resource's name), DD_ENV, DD_VERSION.
builder.AddServiceTags(env: "dev", version: "0.1.0");

// The services export OTLP once, to the bridge: on to the dashboard with Datadog's names, and to Datadog when configured.
builder.AddTelemetryBridge("telemetry")
    .WithDatadog();

// An existing server (ConnectionStrings:notesdb), Aspire's PostgreSQL container, or the machine's own binaries.
var notesdb = builder.AddPostgresDatabase(serverName: "postgres", databaseName: "notesdb");

var calendar = builder.AddProject<Projects.NotesAspire_Calendar>("calendar")
    .WithHttpEndpoint(port: 9090)
    .WithHttpHealthCheck("/health")
    .WithRestartOnExit();

builder.AddProject<Projects.NotesAspire_Notes>("notes")
    .WithHttpEndpoint(port: 8080)
    .WithHttpHealthCheck("/health")
    .WithReference(notesdb).WaitFor(notesdb)
    .WithReference(calendar).WaitFor(calendar)
    .WithRestartOnExit();

builder.Build().Run();
