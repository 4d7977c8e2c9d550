using NotesAspire.Notes;
using NotesAspire.Notes.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.ListenByDefaultOn(8080);
builder.AddNpgsqlDataSource("notesdb");
builder.AddNotes();

var app = builder.Build();

app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapNotesApi();

app.Run();
