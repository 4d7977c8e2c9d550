using System.Net.Http.Json;
using NotesAspire.Dashboard;

namespace NotesAspire.Tests.Dashboard;

public sealed class ResourceApiTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task ResourcesAreServedAsTheCatalogDescribesThem()
    {
        var name = $"notes-{Guid.NewGuid():N}";
        var resource = TestResourceCatalog.Running(name, "http://localhost:8080");
        dashboard.Resources.Add(resource);

        var served = Assert.Single(await dashboard.Api.GetResourcesAsync(), r => r.Name == name);

        Assert.Equal((resource.State, resource.Health, resource.ProcessId), (served.State, served.Health, served.ProcessId));
        Assert.Equal(resource.Endpoints, served.Endpoints);
    }

    [Fact]
    public async Task ConsoleLinesAfterAGivenSequenceAreServedInOrder()
    {
        var name = $"calendar-{Guid.NewGuid():N}";
        dashboard.Resources.Write(name, "info: starting");
        dashboard.Resources.Write(name, "fail: no database", isError: true);
        var all = await ConsoleAsync(name, after: 0);

        var newer = await ConsoleAsync(name, after: all[0].Sequence);

        Assert.Equal(["info: starting", "fail: no database"], all.Select(l => l.Text));
        var line = Assert.Single(newer);
        Assert.True(line.IsError);
    }

    private async Task<List<ConsoleLogLine>> ConsoleAsync(string name, long after) =>
        (await dashboard.Api.Http.GetFromJsonAsync<List<ConsoleLogLine>>($"/api/resources/{name}/console?after={after}", DashboardApiClient.Json))!;
}
