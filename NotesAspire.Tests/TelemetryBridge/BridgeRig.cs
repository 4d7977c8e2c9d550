namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>A bridge with its two stand-in destinations, all real servers on free ports.</summary>
public sealed class BridgeRig : IAsyncDisposable
{
    private BridgeRig(StandInDashboard dashboard, StandInAgent agent, BridgeProcess bridge)
    {
        Dashboard = dashboard;
        Agent = agent;
        Bridge = bridge;
    }

    public StandInDashboard Dashboard { get; }

    public StandInAgent Agent { get; }

    public BridgeProcess Bridge { get; }

    public static async Task<BridgeRig> StartAsync(IReadOnlyDictionary<string, string>? settings = null, int? dashboardMaxMessageBytes = null)
    {
        var dashboard = await StandInDashboard.StartAsync(dashboardMaxMessageBytes);
        StandInAgent? agent = null;
        try
        {
            agent = await StandInAgent.StartAsync();
            var bridge = await BridgeProcess.StartAsync(dashboard.Address, agent.Address, settings);
            return new BridgeRig(dashboard, agent, bridge);
        }
        catch
        {
            // The test never gets a rig to dispose: the stand-ins that did start stop here.
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }

            await dashboard.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The bridge first: stand-ins that vanish under it would only make it retry.
        await Bridge.DisposeAsync();
        await Agent.DisposeAsync();
        await Dashboard.DisposeAsync();
    }
}
