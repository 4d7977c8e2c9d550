using NotesAspire.Dashboard;

namespace NotesAspire.Tests.Dashboard;

public static class TestDashboards
{
    /// <summary>Loopback, every port picked by the system, so tests run side by side.</summary>
    public static DashboardOptions OnFreePorts() => new() { Port = 0, OtlpGrpcPort = 0, OtlpHttpPort = 0 };
}
