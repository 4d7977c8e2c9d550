using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Running;

namespace NotesAspire.Tests.AppHost;

public sealed class AppHostOptionsTests
{
    private static readonly AppModel Model = BuildModel();

    [Fact]
    public void PortsAreSetPerResourceInEitherForm()
    {
        var options = AppHostOptions.Parse(["--notes-port", "18080", "--calendar-port=19090", "--postgres-port", "25432"], Model);

        Assert.Equal(18080, options.PortFor(Resource("notes")));
        Assert.Equal(19090, options.PortFor(Resource("calendar")));
        Assert.Equal(25432, options.PortFor(Resource("postgres")));
    }

    [Fact]
    public void UnsetPortLeavesProgramCsDefault() =>
        Assert.Null(AppHostOptions.Parse([], Model).PortFor(Resource("notes")));

    [Fact]
    public void StateDirectoryOptionIsMadeAbsolute() =>
        Assert.Equal(Path.GetFullPath("some/state"), AppHostOptions.Parse(["--state-dir", "some/state"], Model).StateDirectory);

    [Fact]
    public void OtlpEndpointComesWithItsProtocol()
    {
        var options = AppHostOptions.Parse(["--otlp-endpoint", "http://localhost:4318", "--otlp-protocol", "http/protobuf"], Model);

        Assert.Equal(new OtlpExporter("http://localhost:4318", "http/protobuf"), options.Otlp);
        Assert.Null(AppHostOptions.Parse([], Model).Otlp);
    }

    [Fact]
    public void DashboardListensOnLoopbackAtTheUsualPortsUnlessTold()
    {
        Assert.Equal(new NotesAspire.Dashboard.DashboardOptions(), AppHostOptions.Parse([], Model).Dashboard);

        var options = AppHostOptions.Parse(
            ["--dashboard-port", "28888", "--otlp-grpc-port", "28889", "--otlp-http-port=28890", "--dashboard-host", "0.0.0.0"], Model);

        Assert.Equal((28888, 28889, 28890, "0.0.0.0"), (options.Dashboard!.Port, options.Dashboard.OtlpGrpcPort, options.Dashboard.OtlpHttpPort, options.Dashboard.Host));
        Assert.Null(AppHostOptions.Parse(["--no-dashboard"], Model).Dashboard);
    }

    [Fact]
    public void DatadogEndpointIsAUrl()
    {
        Assert.Equal(new Uri("http://agent:4318"), AppHostOptions.Parse(["--datadog-otlp-endpoint", "http://agent:4318"], Model).DatadogOtlpEndpoint);
        Assert.Null(AppHostOptions.Parse([], Model).DatadogOtlpEndpoint);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--dashboard-port", "0")]
    [InlineData("--dashboard-host", "somewhere")]
    [InlineData("--datadog-otlp-endpoint", "agent:4318")]
    [InlineData("--notes-port", "eighty")]
    [InlineData("--notes-port", "70000")]
    [InlineData("--state-dir")]
    [InlineData("--otlp-protocol", "carrier-pigeon")]
    public void BadCommandLineIsRefusedWithAMessage(params string[] args) =>
        Assert.NotEmpty(Assert.Throws<ArgumentException>(() => AppHostOptions.Parse(args, Model)).Message);

    [Fact]
    public void UsageNamesEveryResourcesPortOption()
    {
        var usage = AppHostOptions.Usage(Model);

        Assert.Contains("--notes-port", usage);
        Assert.Contains("--calendar-port", usage);
        Assert.Contains("--postgres-port", usage);
        Assert.Contains("--dashboard-port", usage);
        Assert.Contains("DD_API_KEY", usage);
    }

    private static Resource Resource(string name) => Model.Resources.Single(resource => resource.Name == name);

    private static AppModel BuildModel()
    {
        var builder = AppHostBuilder.Create([]);
        var postgres = builder.AddPostgres("postgres");
        builder.AddProject("calendar", "NotesAspire.Calendar/NotesAspire.Calendar.csproj").WithHttpPort(9090);
        builder.AddProject("notes", "NotesAspire.Notes/NotesAspire.Notes.csproj").WithHttpPort(8080).WithReference(postgres.AddDatabase("notesdb"));
        return builder.BuildModel();
    }
}
