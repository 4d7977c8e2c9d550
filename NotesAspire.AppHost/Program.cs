#pragma warning disable ASPIREPROBES001 // WithHttpProbe: the liveness probe a deployment gets (ServiceDefaults maps /alive).

using Aspire.Hosting.ApplicationModel;

var builder = DistributedApplication.CreateBuilder(args);

// A container runtime other than docker or podman (ASPIRE_CONTAINER_RUNTIME), refused before anything below is chosen and said with it.
builder.CheckContainerRuntime();

// Datadog's unified service tags, once for every service: DD_SERVICE (the resource's name), DD_ENV, DD_VERSION.
builder.AddServiceTags(env: "dev", version: "0.1.0");

// The services export OTLP once, to the bridge: on to the dashboard with Datadog's names, and to Datadog when configured.
// A deployment has no dashboard: there the services export straight to the Datadog Agent next to them.
builder.AddTelemetryBridge("telemetry")
    .WithDatadog();

// An existing server (ConnectionStrings:notesdb), Aspire's PostgreSQL container, or the machine's own binaries.
var notesdb = builder.AddPostgresDatabase(serverName: "postgres", databaseName: "notesdb");

// The tutorial's ports, bound by the services themselves, without DCP's proxy (bench/README.md); Ports__notes moves one.
var calendar = builder.AddProject<Projects.NotesAspire_Calendar>("calendar")
    .WithPublicHttpPort(9090)
    .WithHttpHealthCheck("/health")
    .WithHttpProbe(ProbeType.Liveness, "/alive")
    .WithRestartOnExit();

builder.AddProject<Projects.NotesAspire_Notes>("notes")
    .WithPublicHttpPort(8080)
    .WithHttpHealthCheck("/health")
    .WithHttpProbe(ProbeType.Liveness, "/alive")
    .WithReference(notesdb).WaitFor(notesdb)
    .WithReference(calendar).WaitFor(calendar)
    .WithRestartOnExit();

// `aspire publish -o deploy` writes the Compose and Kubernetes deployment of this model (docs/deploying.md).
builder.AddDeploymentPublishing();

builder.Build().Run();
