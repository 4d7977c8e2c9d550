namespace NotesAspire.Tests.AppHost;

/// <summary>AppHost tests run one after another: each instance starts PostgreSQL and two services on a two-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection
{
    public const string Name = "apphost";
}
