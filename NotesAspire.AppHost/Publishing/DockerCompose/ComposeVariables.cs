namespace NotesAspire.AppHost.Publishing.DockerCompose;

/// <summary>Compose interpolation of the variables in .env (or the shell, which wins), so no value is written in the YAML.</summary>
internal static class ComposeVariables
{
    /// <summary>Compose stops with this message when the variable is missing or empty.</summary>
    public static string Required(string name) => $"${{{name}:?set {name} in .env}}";

    public static string WithDefault(string name, string value) => $"${{{name}:-{value}}}";
}
