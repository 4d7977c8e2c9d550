using NotesAspire.Calendar;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.ListenByDefaultOn(9090);

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCalendarApi();

app.Run();
