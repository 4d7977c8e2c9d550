namespace NotesAspire.Tests.Infrastructure;

/// <summary>The environment of the built AppHost run as a process (<see cref="ServiceProcess.Launch(string, Uri, Action{IDictionary{string, string?}})"/>).</summary>
public static class AppHostProcessVariables
{
    /// <summary>
    /// As <c>dotnet run</c> runs it (Development), its dashboard on ports of the test's own, without TLS, so that it runs
    /// beside a developer's own AppHost.
    /// </summary>
    public static void PutDashboardOn(this IDictionary<string, string?> variables, int dashboard, int otlpGrpc, int otlpHttp, int resourceService)
    {
        variables["DOTNET_ENVIRONMENT"] = "Development";
        variables["ASPNETCORE_URLS"] = $"http://127.0.0.1:{dashboard}";
        variables["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpGrpc}";
        variables["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpHttp}";
        variables["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{resourceService}";
        variables["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
    }
}
