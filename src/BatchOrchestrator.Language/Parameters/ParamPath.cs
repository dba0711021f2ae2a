using System.Collections.Immutable;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// Where a value sits inside a <see cref="ParamSet"/>: the top-level name, then nested object keys.
/// Printed with dots (<c>td.database</c>); compared by segments, so keys containing dots stay distinct.
/// </summary>
public sealed class ParamPath : IEquatable<ParamPath>
{
    private ParamPath(ImmutableArray<string> segments)
    {
        Segments = segments;
    }

    /// <summary>The keys from the top-level param down; never empty.</summary>
    public ImmutableArray<string> Segments { get; }

    /// <summary>The top-level param name.</summary>
    public string Root => Segments[0];

    /// <summary>A path from at least one key; throws <see cref="ArgumentException"/> when empty.</summary>
    public static ParamPath Of(params IEnumerable<string> segments)
    {
        var array = segments.ToImmutableArray();
        return array.IsEmpty ? throw new ArgumentException("A param path needs at least one key.", nameof(segments)) : new ParamPath(array);
    }

    /// <summary>This path extended by one key.</summary>
    public ParamPath Child(string key) => new(Segments.Add(key));

    /// <summary>True when this path equals <paramref name="prefix"/> or lies under it.</summary>
    public bool StartsWith(ParamPath prefix) =>
        prefix.Segments.Length <= Segments.Length && prefix.Segments.SequenceEqual(Segments.Take(prefix.Segments.Length), StringComparer.Ordinal);

    public bool Equals(ParamPath? other) => other is not null && Segments.SequenceEqual(other.Segments, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ParamPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var segment in Segments)
        {
            hash.Add(segment, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join('.', Segments);
}
