using System.Text;
using Azure.Core.Serialization;
using Microsoft.DurableTask;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// Durable Task's payload conversion through an <see cref="ObjectSerializer"/>: how the Functions
/// DurableTask extension converts orchestration and activity data when the app sets
/// <c>WorkerOptions.Serializer</c> (it ignores any other <see cref="DataConverter"/>). The harness
/// gives the test host's worker and client this converter over the app's own serializer.
/// </summary>
internal sealed class ObjectSerializerDataConverter(ObjectSerializer serializer) : DataConverter
{
    private readonly Lock _gate = new();
    private (int Bytes, string Type) _largest;

    public ObjectSerializer Serializer => serializer;

    /// <summary>The largest payload this converter wrote (UTF-8 bytes) and the type it held: what a queue message or history row would carry.</summary>
    public (int Bytes, string Type) Largest
    {
        get
        {
            lock (_gate)
            {
                return _largest;
            }
        }
    }

    public override string? Serialize(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = serializer.Serialize(value, value.GetType(), CancellationToken.None).ToString();
        var bytes = Encoding.UTF8.GetByteCount(text);
        lock (_gate)
        {
            if (bytes > _largest.Bytes)
            {
                _largest = (bytes, value.GetType().Name);
            }
        }

        return text;
    }

    public override object? Deserialize(string? data, Type targetType)
    {
        if (data is null)
        {
            return null;
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(data), writable: false);
        return serializer.Deserialize(stream, targetType, CancellationToken.None);
    }
}
