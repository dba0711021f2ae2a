using System.Text.Json.Serialization;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>One workflow definition file of a revision, as text (UTF-8 decoded, without a byte order mark).</summary>
/// <param name="Path">Relative to the project, '/'-separated, as the workflow's diagnostics name it.</param>
/// <param name="Text">The file's text, written to JSON in segments (a workflow file may be megabytes).</param>
public sealed record WorkflowFile(string Path, [property: JsonConverter(typeof(LargeTextConverter))] string Text);

/// <summary>
/// Output of <see cref="ActivityNames.LoadWorkflow"/> (whose input is a <see cref="PlanReference"/>):
/// what the orchestrator compiles one workflow of a revision from — exactly the files compiling it
/// reads, its <c>.dig</c> and the files it <c>!include</c>s, never the project's scripts — and the
/// folder its scripts run in. A workflow that cannot run (not in the revision, invalid) comes back
/// as <see cref="Errors"/>, so the attempt fails at once with them instead of the call being retried.
/// </summary>
public sealed record WorkflowSource
{
    /// <summary>The workflow's own file, e.g. <c>ad_report.dig</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The files compiling the workflow reads, the workflow's own first.</summary>
    public IReadOnlyList<WorkflowFile> Files { get; init; } = [];

    /// <summary>
    /// Files that compiling the workflow only checks exist (the workflows its <c>call&gt;</c> tasks
    /// name): they are loaded when called, not shipped here.
    /// </summary>
    public IReadOnlyList<string> CallTargets { get; init; } = [];

    /// <summary>The folder the workflow's scripts run in (on the hosts that run them).</summary>
    public string WorkingDirectory { get; init; } = string.Empty;

    /// <summary>Why the workflow cannot run; empty when it can.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; init; } = [];
}
