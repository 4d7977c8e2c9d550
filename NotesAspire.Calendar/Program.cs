using NotesAspire.Calendar;

// Content root beside the dll, so appsettings.json (its log levels: no log record per request) applies wherever the
// service is started from, not only from its project folder as under the AppHost.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddServiceDefaults();
builder.ListenByDefaultOn(9090);

var app = builder.Build();

// Problem details for the errors no handler writes: an unknown path (404) or method (405).
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapCalendarApi();

app.Run();
