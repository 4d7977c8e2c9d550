using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Publishing.Model;

namespace NotesAspire.AppHost.Publishing.Compose;

/// <summary>Compose interpolation of the variables of .env (or the shell, which wins), so no parameter's value is in the YAML.</summary>
internal static class ComposeVariables
{
    /// <summary>
    /// <c>${NAME:-default}</c> for a parameter with a default, else <c>${NAME:?…}</c>, with which Compose stops when it is
    /// missing. A URI-encoded use of a parameter gets the same variable: Compose cannot encode, so the value must need none.
    /// </summary>
    public static string Reference(ParameterPart part)
    {
        var name = ParameterConventions.VariableName(part.Parameter);
        return ParameterConventions.DefaultValue(part.Parameter) is { } value
            ? $"${{{name}:-{value}}}"
            : $"${{{name}:?export {name}}}";
    }

    public static string EnvironmentFile(IReadOnlyList<DeployedResource> resources, DeploymentConventions conventions)
    {
        var lines = new List<string>
        {
            "# " + DeploymentConventions.GeneratedBy,
            "# The values docker-compose.yaml reads, one per parameter of the app model. Export the empty ones in the shell, which",
            "# wins over this file: it is in git and written anew by each publish, so a key or password kept here would be",
            "# committed or lost (and the test comparing deploy/ with a fresh publish fails).",
            "",
            $"COMPOSE_PROJECT_NAME={conventions.ApplicationName}",
        };

        foreach (var parameter in ParameterConventions.Used(resources))
        {
            lines.Add("");
            lines.Add($"# Parameter {parameter.Name}{(parameter.Secret ? " (secret)" : "")}.{Description(parameter)}");
            if (resources.Any(resource => resource.Environment.Any(pair => pair.Value.Parts.OfType<ParameterPart>().Any(part => part.Parameter == parameter && part.Format is not null))))
            {
                lines.Add("# It is also used URI-encoded, which Compose cannot do: use only letters, digits and - . _ ~ in it.");
            }

            lines.Add($"{ParameterConventions.VariableName(parameter)}={ParameterConventions.DefaultValue(parameter) ?? ""}");
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string Description(ParameterResource parameter) =>
        parameter.Description is { Length: > 0 } description ? " " + description.ReplaceLineEndings(" ") : "";
}
