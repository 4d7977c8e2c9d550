using NotesAspire.AppHost.Datadog;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Publishing.Yaml;

namespace NotesAspire.AppHost.Publishing.DockerCompose;

/// <summary>
/// docker-compose.yaml and its .env: the tutorial's deployment (Postgres, the two services, a Datadog Agent next to them)
/// from the AppHost's model. Values that are secrets or per-user (API key, site, passwords) are variables set in .env.
/// </summary>
internal static class DockerComposeWriter
{
    private const string ComposeFileName = "docker-compose.yaml";
    private const string EnvironmentFileName = ".env";
    private const string AgentServiceName = "datadog-agent";


    /// <param name="buildContext">The solution's folder relative to the output folder: the Dockerfiles build from there.</param>
    /// <param name="solutionDirectory">Where the projects' Dockerfiles are found, to name them relative to the build context.</param>
    public static IEnumerable<GeneratedFile> Write(AppModel model, string buildContext, string solutionDirectory)
    {
        var resolver = new ServiceNameResolver(server => ComposeVariables.Required(PublishConventions.PasswordVariable(server)));
        var services = new YamlMap();
        var volumes = new YamlMap();

        foreach (var resource in model.Resources)
        {
            switch (resource)
            {
                case PostgresServerResource server:
                    services[server.Name] = Postgres(server);
                    volumes[VolumeName(server)] = new YamlMap();
                    break;
                case ProjectResource project:
                    services[project.Name] = Project(project, model.Tags, resolver, buildContext, solutionDirectory);
                    break;
            }
        }

        services[AgentServiceName] = Agent();

        var compose = new YamlMap
        {
            ["services"] = services,
            ["volumes"] = volumes,
        };

        string[] header =
        [
            .. PublishConventions.Header,
            "Set the variables of .env first (or export them: the shell wins), then, from this folder: docker compose up --build -d",
        ];
        yield return new GeneratedFile(ComposeFileName, YamlWriter.Write(header, compose));
        yield return new GeneratedFile(EnvironmentFileName, EnvironmentFile(model));
    }

    private static YamlMap Postgres(PostgresServerResource server)
    {
        var database = PublishConventions.InitialDatabase(server);
        var environment = new YamlMap();
        if (database is not null)
        {
            environment["POSTGRES_DB"] = database.DatabaseName;
        }

        environment["POSTGRES_PASSWORD"] = ComposeVariables.Required(PublishConventions.PasswordVariable(server));

        var ready = new YamlList { "CMD", "pg_isready", "-U", PostgresServerResource.UserName };
        if (database is not null)
        {
            ready.AddRange(["-d", database.DatabaseName]);
        }

        return new YamlMap
        {
            ["image"] = PostgresServerResource.Image,
            ["restart"] = "unless-stopped",
            ["environment"] = environment,
            ["volumes"] = new YamlList { $"{VolumeName(server)}:/var/lib/postgresql/data" },
            ["healthcheck"] = new YamlMap
            {
                ["test"] = ready,
                ["interval"] = "5s",
                ["timeout"] = "5s",
                ["retries"] = 10,
            },
        };
    }

    private static YamlMap Project(
        ProjectResource project, ServiceTags tags, IEndpointResolver resolver, string buildContext, string solutionDirectory)
    {
        var environment = PublishConventions.ContainerEnvironment(project, tags, resolver, AgentServiceName);
        // What Datadog's own tracers and DogStatsD clients read, as in the tutorial; OpenTelemetry uses the OTLP endpoint.
        environment[DatadogAgent.AgentHostVariable] = AgentServiceName;

        var dependsOn = new YamlMap();
        foreach (var dependency in project.WaitsFor.Select(ServiceOf).Distinct())
        {
            dependsOn[dependency] = new YamlMap { ["condition"] = "service_healthy" };
        }

        // Started is enough: the OTLP exporter retries, and telemetry must not keep the application down.
        dependsOn[AgentServiceName] = new YamlMap { ["condition"] = "service_started" };

        var dockerfile = Path.GetRelativePath(solutionDirectory, PublishConventions.Dockerfile(project));
        return new YamlMap
        {
            ["image"] = PublishConventions.Image(project, tags),
            ["build"] = new YamlMap
            {
                ["context"] = buildContext.Replace('\\', '/'),
                ["dockerfile"] = dockerfile.Replace('\\', '/'),
                ["args"] = new YamlMap
                {
                    ["DD_ENV"] = tags.Env,
                    ["DD_VERSION"] = tags.Version,
                },
            },
            ["restart"] = "unless-stopped",
            ["ports"] = new YamlList { $"{project.HttpPort}:{project.HttpPort}" },
            ["environment"] = ToMap(environment),
            ["labels"] = new YamlMap
            {
                [DatadogAgent.DockerTagLabelPrefix + "service"] = project.Name,
                [DatadogAgent.DockerTagLabelPrefix + "env"] = tags.Env,
                [DatadogAgent.DockerTagLabelPrefix + "version"] = tags.Version,
            },
            ["depends_on"] = dependsOn,
            ["healthcheck"] = new YamlMap
            {
                // The runtime image has bash but no curl or wget: an HTTP/1.0 GET of the health endpoint over bash's /dev/tcp.
                ["test"] = new YamlList
                {
                    "CMD", "bash", "-c",
                    $"exec 3<>/dev/tcp/127.0.0.1/{project.HttpPort} && printf 'GET {PublishConventions.HealthPath} HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '",
                },
                ["interval"] = "10s",
                ["timeout"] = "5s",
                ["retries"] = 5,
                ["start_period"] = "15s",
            },
        };
    }

    private static YamlMap Agent() => new()
    {
        ["image"] = DatadogAgent.Image,
        ["restart"] = "unless-stopped",
        ["environment"] = new YamlMap
        {
            [DatadogAgent.ApiKeyVariable] = new Commented("Without a key the trace agent does not start; a key of another site gets 403 and the data is dropped.",
                ComposeVariables.Required(DatadogAgent.ApiKeyVariable)),
            [DatadogAgent.SiteVariable] = ComposeVariables.WithDefault(DatadogAgent.SiteVariable, DatadogAgent.DefaultSite),
            ["DD_APM_ENABLED"] = "true",
            ["DD_APM_NON_LOCAL_TRAFFIC"] = "true",
            ["DD_DOGSTATSD_NON_LOCAL_TRAFFIC"] = "true",
            ["DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT"] = new Commented(
                "The services export traces, metrics and logs over OTLP/gRPC; the receiver listens on localhost only by default.",
                DatadogAgent.OtlpGrpcEndpoint),
            ["DD_LOGS_ENABLED"] = "true",
            ["DD_OTLP_CONFIG_LOGS_ENABLED"] = "true",
        },
        ["volumes"] = new Commented("Read-only views of the host, as in the tutorial: containers (with their labels), processes, cgroups.",
            new YamlList(DatadogAgent.HostVolumes)),
    };

    private static string EnvironmentFile(AppModel model)
    {
        var lines = new List<string>
        {
            "# " + PublishConventions.GeneratedBy,
            "# The values docker-compose.yaml reads. Fill in the empty ones; variables exported in the shell win over this file.",
            "# Never commit real values (the test comparing deploy/ with a fresh publish fails if you do).",
            "",
            $"COMPOSE_PROJECT_NAME={PublishConventions.ApplicationName}",
            "",
            "# Your Datadog API key (Organization Settings > API Keys), and your account's site: datadoghq.com, us3.datadoghq.com,",
            "# us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com... (the site in your Datadog URL).",
            $"{DatadogAgent.ApiKeyVariable}=",
            $"{DatadogAgent.SiteVariable}={DatadogAgent.DefaultSite}",
        };

        foreach (var server in model.OfType<PostgresServerResource>())
        {
            lines.Add("");
            lines.Add($"# The password of {server.Name}'s {PostgresServerResource.UserName} user; it goes into a connection string, so no ';' in it.");
            lines.Add("# It is set when the volume is created: changing it later needs `docker compose down -v` (which deletes the data).");
            lines.Add($"{PublishConventions.PasswordVariable(server)}=");
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string ServiceOf(Resource resource) => resource switch
    {
        PostgresDatabaseResource database => database.Server.Name,
        _ => resource.Name,
    };

    private static string VolumeName(PostgresServerResource server) => $"{server.Name}-data";

    private static YamlMap ToMap(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new YamlMap();
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }
}
