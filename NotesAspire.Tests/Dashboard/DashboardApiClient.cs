using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using NotesAspire.Dashboard;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Tests.Dashboard;

/// <summary>Reads the dashboard's JSON API over real HTTP, into the dashboard's own records.</summary>
public sealed class DashboardApiClient(Uri dashboardUrl) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public HttpClient Http { get; } = new() { BaseAddress = dashboardUrl };

    public async Task<IReadOnlyList<TraceSummary>> GetTracesAsync(string query = "") =>
        (await Http.GetFromJsonAsync<List<TraceSummary>>($"/api/traces{query}", Json))!;

    /// <summary>The trace, or null when the dashboard answers 404.</summary>
    public async Task<TraceDetail?> GetTraceAsync(string traceId)
    {
        using var response = await Http.GetAsync($"/api/traces/{traceId}");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound
            ? null
            : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<TraceDetail>(Json);
    }

    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(string query = "") =>
        (await Http.GetFromJsonAsync<List<LogEntry>>($"/api/logs{query}", Json))!;

    public async Task<IReadOnlyList<ResourceSnapshot>> GetResourcesAsync() =>
        (await Http.GetFromJsonAsync<List<ResourceSnapshot>>("/api/resources", Json))!;

    public void Dispose() => Http.Dispose();
}
