namespace NotesAspire.Dashboard.Hosting;

/// <summary>The three Kestrel endpoints of the dashboard. Each route answers on one of them only.</summary>
internal enum Listener
{
    Dashboard,
    OtlpGrpc,
    OtlpHttp,
}

/// <summary>Endpoint metadata: the listener a route belongs to.</summary>
internal sealed record ServedOn(Listener Listener);
