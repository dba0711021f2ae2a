using System.Runtime.CompilerServices;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Storage;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>
/// Large activity results, serialized once per value and read once per text. An activity that
/// hands out the same value again (the workflow every part of a large group loads, from the
/// engine's cache) is not serialized again; a text the store gives back as the same string (see
/// <see cref="PayloadStore"/>) is not parsed again, and every orchestration gets the same value.
/// So a large result costs each part O(1), not O(its size). Orchestrator code must not change an
/// activity's result (it never needs to: a replay gets it anew anyway); small results, the common
/// case, are still copies — except one marked <see cref="ISharedActivityResult"/> (a command's
/// status, every <c>sh&gt;</c> task's), which the orchestrator's turn in this process gets as the
/// object the activity returned, through the text it was serialized to: the same string instance,
/// handed on in memory with the result. A text read from the database is another string, parsed.
/// </summary>
internal sealed class SharedResults(DataConverter converter)
{
    private readonly ConditionalWeakTable<object, string> _serialized = [];
    private readonly ConditionalWeakTable<string, Decoded> _decoded = [];

    // Shared results by the text they were serialized to, each taken by its first read.
    private readonly ConditionalWeakTable<string, ISharedActivityResult> _handedOn = [];

    /// <summary>The serialized form of an activity's result.</summary>
    public string? Serialize(object? value)
    {
        if (value is null or string or ValueType)
        {
            return converter.Serialize(value);
        }

        if (_serialized.TryGetValue(value, out var known))
        {
            return known;
        }

        var text = converter.Serialize(value);
        if (value is ISharedActivityResult shared && text is not null)
        {
            _handedOn.AddOrUpdate(text, shared);
        }

        if (text is { Length: >= PayloadStore.Threshold })
        {
            _serialized.AddOrUpdate(value, text);
        }

        return text;
    }

    /// <summary>An activity's result, read from its serialized form.</summary>
    public T? Deserialize<T>(string? text)
    {
        if (text is not null && _handedOn.TryGetValue(text, out var shared) && shared is T handedOn)
        {
            // Taken once: a later read of the same event (none in a live session) gets a copy.
            _handedOn.Remove(text);
            return handedOn;
        }

        if (text is not { Length: >= PayloadStore.Threshold })
        {
            return converter.Deserialize<T>(text);
        }

        if (_decoded.TryGetValue(text, out var known) && known.Type == typeof(T))
        {
            return (T?)known.Value;
        }

        var value = converter.Deserialize<T>(text);
        _decoded.AddOrUpdate(text, new Decoded(typeof(T), value));
        return value;
    }

    private sealed record Decoded(Type Type, object? Value);
}
