using NotesAspire.Notes;
using NotesAspire.Notes.Api;
using NotesAspire.Notes.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.ListenByDefaultOn(8080);
builder.AddNotesDataSource();
builder.AddNotes();

var app = builder.Build();

app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapNotesApi();

app.Run();
