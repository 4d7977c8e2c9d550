var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.ListenByDefaultOn(8080);

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", () => "Welcome to our notes app!");

app.Run();
