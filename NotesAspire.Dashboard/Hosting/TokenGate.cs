using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NotesAspire.Dashboard.Hosting;

/// <summary>
/// When the dashboard listens beyond loopback, its pages and <c>/api</c> need the token: once through
/// <c>/login?t=TOKEN</c> (which leaves a cookie), or as <c>Authorization: Bearer TOKEN</c>. OTLP stays open: the
/// services must be able to send without it.
/// </summary>
internal sealed class TokenGate(string? token)
{
    public const string CookieName = "notesaspire_dashboard_token";
    public const string LoginPath = "/login";

    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var servedOn = context.GetEndpoint()?.Metadata.GetMetadata<ServedOn>();
        if (_token is null || servedOn?.Listener != Listener.Dashboard || context.Request.Path == LoginPath || IsAuthorized(context.Request))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("This dashboard needs its token: open the URL with ?t= that the AppHost printed at start.");
    }

    public IEndpointConventionBuilder MapLogin(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(LoginPath, (HttpContext context, string? t) =>
        {
            if (_token is null)
            {
                return Results.Redirect("/");
            }

            if (!Matches(t))
            {
                return Results.Text("Wrong or missing token.", statusCode: StatusCodes.Status401Unauthorized);
            }

            context.Response.Cookies.Append(CookieName, t!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
            return Results.Redirect("/");
        });

    private bool IsAuthorized(HttpRequest request)
    {
        if (request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie))
        {
            return true;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(authorization["Bearer ".Length..].Trim());
    }

    private bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);
}
