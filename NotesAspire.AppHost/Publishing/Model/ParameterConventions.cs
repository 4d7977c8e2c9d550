using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>How a parameter of the app model is named and defaulted in a deployment, the same for every target.</summary>
public static class ParameterConventions
{
    /// <summary>The variable that holds it: <c>postgres-password</c> is <c>POSTGRES_PASSWORD</c>.</summary>
    public static string VariableName(ParameterResource parameter) =>
        new(parameter.Name.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>
    /// The default a deployment may write: a non-secret parameter's constant default (<c>publishValueAsDefault</c>). Never a
    /// secret's, and never a generated one (a generated password is per machine and lives in user secrets).
    /// </summary>
    public static string? DefaultValue(ParameterResource parameter) =>
        parameter.Secret || parameter.Default is null or GenerateParameterDefault
        // Aspire's internal wrapper that keeps a generated value in user secrets.
        || parameter.Default.GetType().Name == "UserSecretsParameterDefault"
            ? null
            : parameter.Default.GetDefaultValue();

    /// <summary>The parameters the deployed resources use, in the order they are first met.</summary>
    public static IReadOnlyList<ParameterResource> Used(IEnumerable<DeployedResource> resources) =>
        resources.SelectMany(resource => resource.Environment.Select(pair => pair.Value).Concat(resource.Args))
            .SelectMany(value => value.Parameters)
            .DistinctBy(VariableName)
            .ToList();
}
