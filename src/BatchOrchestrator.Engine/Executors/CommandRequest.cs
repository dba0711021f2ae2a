using System.Text.Json;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// A command to run for a scripting task (<c>sh&gt;</c>, <c>py&gt;</c>) wherever its
/// <c>container:</c> config sends it. The same request runs as a local process, a Kubernetes Job
/// or an Azure Container Instance.
/// </summary>
public sealed record CommandRequest
{
    /// <summary>Identifies the try: executors derive deterministic names (Job, container group) from it.</summary>
    public required string AttemptId { get; init; }

    public required string TaskName { get; init; }

    public int Try { get; init; }

    /// <summary>The program and its arguments, e.g. <c>["/bin/sh", "-c", "echo hi"]</c>.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public required string WorkingDirectory { get; init; }

    /// <summary>The task's <c>container:</c> settings (image, cpu, memory, ...), or null for none.</summary>
    public JsonElement? Container { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Files the command reads (a runner script, its params as JSON), by relative name. The
    /// executor materialises them in a per-try folder named by <c>$BO_TASK_DIR</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Files the engine ships (<see cref="BundledFiles"/>), by name: the launch activity adds them
    /// to <see cref="Files"/>, so a command carries a few names through the orchestration instead
    /// of kilobytes of runner source.
    /// </summary>
    public IReadOnlyList<string> Bundled { get; init; } = [];

    public required TaskLogKey Log { get; init; }

    /// <summary>Which parts held secrets before they were resolved (set in the launch activity only).</summary>
    public CommandSecretParts SecretParts { get; init; } = CommandSecretParts.None;
}
