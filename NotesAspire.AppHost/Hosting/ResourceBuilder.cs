using NotesAspire.AppHost.Model;

namespace NotesAspire.AppHost.Hosting;

/// <summary>The fluent face of a resource in Program.cs.</summary>
public sealed class ResourceBuilder<T>(T resource, AppHostBuilder app) where T : Resource
{
    public T Resource { get; } = resource;

    internal AppHostBuilder App { get; } = app;

    /// <summary>Do not start this resource before <paramref name="other"/> is healthy.</summary>
    public ResourceBuilder<T> WaitFor<TOther>(ResourceBuilder<TOther> other) where TOther : Resource
    {
        Resource.WaitsFor.Add(other.Resource);
        return this;
    }
}

public static class ResourceBuilderExtensions
{
    public static ResourceBuilder<PostgresServerResource> WithPort(this ResourceBuilder<PostgresServerResource> builder, int port)
    {
        builder.Resource.Port = port;
        return builder;
    }

    public static ResourceBuilder<PostgresDatabaseResource> AddDatabase(this ResourceBuilder<PostgresServerResource> builder, string name)
    {
        var database = new PostgresDatabaseResource(name, builder.Resource);
        builder.Resource.Databases.Add(database);
        return builder.App.Add(database);
    }

    public static ResourceBuilder<ProjectResource> WithHttpPort(this ResourceBuilder<ProjectResource> builder, int port)
    {
        builder.Resource.HttpPort = port;
        return builder;
    }

    /// <summary>Gives the service what it needs to reach <paramref name="other"/> (a connection string, a service URL).</summary>
    public static ResourceBuilder<ProjectResource> WithReference<TOther>(this ResourceBuilder<ProjectResource> builder, ResourceBuilder<TOther> other)
        where TOther : Resource
    {
        builder.Resource.References.Add(other.Resource);
        return builder;
    }

    public static ResourceBuilder<ProjectResource> WithEnvironment(this ResourceBuilder<ProjectResource> builder, string name, string value)
    {
        builder.Resource.Environment[name] = value;
        return builder;
    }
}
