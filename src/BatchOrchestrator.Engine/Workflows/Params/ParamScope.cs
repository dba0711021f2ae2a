using System.Collections.Immutable;
using System.Text.Json;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// The params a task inherits: the <c>_export</c>s of its ancestors (and what their operators
/// exported), and the store as left by the tasks it waits for. Immutable and small; passed to
/// sub-orchestrations as is.
/// </summary>
public sealed record ParamScope(ImmutableList<ExportLayer> Exports, StoreParams Store)
{
    public static ParamScope Empty { get; } = new(ImmutableList<ExportLayer>.Empty, StoreParams.Empty);

    public ParamScope WithExport(JsonElement values, ParamSequence sequence) =>
        values.ValueKind == JsonValueKind.Object && values.EnumerateObject().Any()
            ? this with { Exports = Exports.Add(new ExportLayer(values, sequence)) }
            : this;

    public ParamScope WithStore(StoreParams store) => this with { Store = store };
}
