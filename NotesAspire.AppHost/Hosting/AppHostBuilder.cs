using NotesAspire.AppHost.Model;

namespace NotesAspire.AppHost.Hosting;

/// <summary>Collects the application's resources from Program.cs, then builds the <see cref="AppModel"/>.</summary>
public sealed class AppHostBuilder
{
    private readonly List<Resource> _resources = [];
    private ServiceTags _tags = new("dev", "0.1.0");

    private AppHostBuilder(string[] args) => Args = args;

    public string[] Args { get; }

    public static AppHostBuilder Create(string[] args) => new(args);

    /// <summary>DD_ENV and DD_VERSION for every service; DD_SERVICE is each service's resource name.</summary>
    public AppHostBuilder WithServiceTags(string env, string version)
    {
        _tags = new ServiceTags(env, version);
        return this;
    }

    public ResourceBuilder<PostgresServerResource> AddPostgres(string name) => Add(new PostgresServerResource(name));

    /// <summary>A service of this solution; <paramref name="projectPath"/> is relative to the solution's folder.</summary>
    public ResourceBuilder<ProjectResource> AddProject(string name, string projectPath) =>
        Add(new ProjectResource(name, Path.GetFullPath(Path.Combine(BuildInfo.SolutionDirectory, projectPath))));

    public AppModel BuildModel() => new(_resources.ToList(), _tags);

    /// <summary>The application, ready to run, publish or print its usage, as the command line asks.</summary>
    public AppHostApplication Build() => new(BuildModel(), Args);

    internal ResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(existing => string.Equals(existing.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is declared twice.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }
}
