using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace BatchOrchestrator.Deploy.Tests.Support;

/// <summary>
/// App settings that remember every name the code under test asked for, set or not: how a test
/// learns which settings the Functions composition reads, from the code itself instead of a list
/// copied out of it. Enumerating them is remembered too, since code that walks every setting
/// reads names this cannot see.
/// </summary>
internal sealed class RecordingSettings(IReadOnlyDictionary<string, string> values) : IReadOnlyDictionary<string, string>
{
    private readonly ConcurrentDictionary<string, bool> _read = new(StringComparer.Ordinal);

    /// <summary>Every name asked for, in order of name.</summary>
    public IReadOnlyList<string> Read => [.. _read.Keys.Order(StringComparer.Ordinal)];

    public bool Enumerated { get; private set; }

    public int Count => values.Count;

    public IEnumerable<string> Keys
    {
        get
        {
            Enumerated = true;
            return values.Keys;
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            Enumerated = true;
            return values.Values;
        }
    }

    public string this[string key]
    {
        get
        {
            _read[key] = true;
            return values[key];
        }
    }

    public bool ContainsKey(string key)
    {
        _read[key] = true;
        return values.ContainsKey(key);
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        _read[key] = true;
        return values.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        Enumerated = true;
        return values.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
