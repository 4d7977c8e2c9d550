namespace NotesAspire.Dashboard.Storage;

/// <summary>A fixed-size buffer where each addition past capacity replaces the oldest item. Not thread-safe.</summary>
internal sealed class RingBuffer<T>(int capacity)
{
    private readonly T[] _items = new T[Math.Max(1, capacity)];
    private int _next;

    public int Count { get; private set; }

    /// <summary>Adds an item; returns true when it pushed the oldest one out.</summary>
    public bool Add(T item)
    {
        _items[_next] = item;
        _next = (_next + 1) % _items.Length;
        if (Count < _items.Length)
        {
            Count++;
            return false;
        }

        return true;
    }

    public IEnumerable<T> NewestFirst()
    {
        for (var i = 1; i <= Count; i++)
        {
            yield return _items[(_next - i + _items.Length) % _items.Length];
        }
    }
}
