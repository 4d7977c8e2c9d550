using NotesAspire.AppHost.Hosting;

var builder = AppHostBuilder.Create(args)
    .WithServiceTags(env: "dev", version: "0.1.0");

var postgres = builder.AddPostgres("postgres");
var notesdb = postgres.AddDatabase("notesdb");

var calendar = builder.AddProject("calendar", "NotesAspire.Calendar/NotesAspire.Calendar.csproj")
    .WithHttpPort(9090);

builder.AddProject("notes", "NotesAspire.Notes/NotesAspire.Notes.csproj")
    .WithHttpPort(8080)
    .WithReference(notesdb).WaitFor(notesdb)
    .WithReference(calendar).WaitFor(calendar);

return await builder.Build().RunAsync();
