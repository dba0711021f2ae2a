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
    public ObjectSerializer Serializer => serializer;

    public override string? Serialize(object? value) =>
        value is null ? null : serializer.Serialize(value, value.GetType(), CancellationToken.None).ToString();

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
