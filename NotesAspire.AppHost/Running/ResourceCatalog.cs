using ConsoleLogLine = NotesAspire.Dashboard.ConsoleLogLine;

namespace NotesAspire.AppHost.Running;

/// <summary>
/// The live state of every resource and the recent lines each wrote: written by the runners, read by the console and
/// the dashboard (its <c>IResourceCatalog</c> maps onto <see cref="GetResources"/> and <see cref="GetConsoleLogs"/>).
/// </summary>
public sealed class ResourceCatalog
{
    /// <summary>Per resource: enough to scroll back through a start-up, bounded so a chatty service cannot fill memory.</summary>
    public const int ConsoleLogCapacity = 5000;

    private readonly Lock _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, ResourceSnapshot> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<ConsoleLogLine>> _logs = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Waiter> _waiters = [];
    private long _sequence;

    /// <summary>Raised in order, one at a time, with the new snapshot and the one it replaces.</summary>
    public event Action<ResourceSnapshot, ResourceSnapshot>? ResourceChanged;

    /// <summary>Raised in order, one at a time, for each line a resource writes.</summary>
    public event Action<ConsoleLogLine>? ConsoleLogAdded;

    public void Add(ResourceSnapshot resource)
    {
        lock (_gate)
        {
            _order.Add(resource.Name);
            _resources.Add(resource.Name, resource);
            _logs.Add(resource.Name, new Queue<ConsoleLogLine>());
        }
    }

    /// <summary>Every resource, in the order Program.cs declares them.</summary>
    public IReadOnlyList<ResourceSnapshot> GetResources()
    {
        lock (_gate)
        {
            return _order.Select(name => _resources[name]).ToList();
        }
    }

    public ResourceSnapshot Get(string name)
    {
        lock (_gate)
        {
            return _resources[name];
        }
    }

    public IReadOnlyList<ConsoleLogLine> GetConsoleLogs(string name, long afterSequence)
    {
        lock (_gate)
        {
            return _logs.TryGetValue(name, out var lines) ? lines.Where(line => line.Sequence > afterSequence).ToList() : [];
        }
    }

    public void Update(string name, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        lock (_gate)
        {
            var before = _resources[name];
            var after = change(before);
            if (after == before)
            {
                return;
            }

            _resources[name] = after;
            ResourceChanged?.Invoke(after, before);
            foreach (var waiter in _waiters.Where(waiter => waiter.IsSatisfied(after)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public void AddConsoleLog(string name, string text, bool isError)
    {
        lock (_gate)
        {
            var line = new ConsoleLogLine(++_sequence, DateTimeOffset.Now, name, text, isError);
            var lines = _logs[name];
            lines.Enqueue(line);
            if (lines.Count > ConsoleLogCapacity)
            {
                lines.Dequeue();
            }

            ConsoleLogAdded?.Invoke(line);
        }
    }

    /// <summary>Completes when the resource is in a state that satisfies <paramref name="condition"/>, now or later.</summary>
    public Task WaitUntilAsync(string name, Func<ResourceSnapshot, bool> condition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (condition(_resources[name]))
            {
                return Task.CompletedTask;
            }

            var waiter = new Waiter(name, condition, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            return waiter.Done.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed record Waiter(string Name, Func<ResourceSnapshot, bool> Condition, TaskCompletionSource Done)
    {
        public bool IsSatisfied(ResourceSnapshot resource) =>
            string.Equals(resource.Name, Name, StringComparison.OrdinalIgnoreCase) && Condition(resource);
    }
}
