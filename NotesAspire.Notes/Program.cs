using NotesAspire.Notes.Api;
using NotesAspire.Notes.Calendar;
using NotesAspire.Notes.Data;

// Content root beside the dll, so appsettings.json (its log levels: no log record per request) applies wherever the
// service is started from, not only from its project folder as under the AppHost.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddServiceDefaults();
builder.ListenByDefaultOn(8080);
builder.AddNotesDatabase();
builder.AddCalendarClient();

var app = builder.Build();

app.UseExceptionHandler();
// Problem details for the errors no handler writes: an unknown path (404) or method (405).
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapNotesApi();

app.Run();
