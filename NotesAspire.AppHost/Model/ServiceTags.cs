namespace NotesAspire.AppHost.Model;

/// <summary>Datadog's unified service tags, declared once for the whole application; each service's name is its resource name.</summary>
public sealed record ServiceTags(string Env, string Version);
