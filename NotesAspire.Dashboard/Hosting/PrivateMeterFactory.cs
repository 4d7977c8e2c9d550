using System.Diagnostics.Metrics;

namespace NotesAspire.Dashboard.Hosting;

/// <summary>
/// Gives ASP.NET Core's meters (requests, connections) names of their own, so that a process hosting the dashboard
/// and collecting its own metrics does not count the dashboard's polling and OTLP traffic as its work.
/// </summary>
internal sealed class PrivateMeterFactory : IMeterFactory
{
    private const string Prefix = "NotesAspire.Dashboard.Internal.";
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(Prefix + options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(meter => meter.Dispose());
            _meters.Clear();
        }
    }
}
