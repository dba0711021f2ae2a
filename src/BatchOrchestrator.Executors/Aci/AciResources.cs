using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// CPU and memory from a task's <c>container:</c>, written as for Kubernetes (<c>cpu: 2</c>,
/// <c>cpu: 500m</c>, <c>memory: 4Gi</c>, <c>memory: 512Mi</c>, <c>memory: 4G</c>) or as plain
/// numbers (cores, GB), turned into what ACI takes: cores and <c>memoryInGB</c> (decimal GB,
/// rounded up to ACI's 0.1 GB step, so <c>4Gi</c> = 4.29 GB asks for 4.3).
/// </summary>
public static class AciResources
{
    /// <exception cref="TaskFailure">The value is not a CPU amount (not retryable).</exception>
    public static double Cpu(JsonElement? value, double fallback)
    {
        var text = Text(value);
        if (text is null)
        {
            return fallback;
        }

        var milli = text.EndsWith('m');
        if (double.TryParse(milli ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cores) && cores > 0)
        {
            return Math.Ceiling((milli ? cores / 1000 : cores) * 100) / 100;
        }

        throw new TaskFailure($"container.cpu must be a number of cores such as 2 or 0.5 (or 500m), got '{text}'", retryable: false);
    }

    /// <exception cref="TaskFailure">The value is not a memory amount (not retryable).</exception>
    public static double MemoryGb(JsonElement? value, double fallback)
    {
        var text = Text(value);
        if (text is null)
        {
            return fallback;
        }

        (string Suffix, double Bytes)[] units =
        [
            ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
            ("GB", 1e9), ("MB", 1e6), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ];
        var (number, bytesPerUnit) = units.FirstOrDefault(u => text.EndsWith(u.Suffix, StringComparison.Ordinal)) is { Suffix: not null } unit
            ? (text[..^unit.Suffix.Length], unit.Bytes)
            : (text, 1e9);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            return Math.Ceiling(Math.Round(amount * bytesPerUnit / 1e9, 6) * 10) / 10;
        }

        throw new TaskFailure($"container.memory must be an amount such as 4Gi, 512Mi or 1.5 (GB), got '{text}'", retryable: false);
    }

    private static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
        { ValueKind: JsonValueKind.String } text => text.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } other => other.GetRawText(),
    };
}
