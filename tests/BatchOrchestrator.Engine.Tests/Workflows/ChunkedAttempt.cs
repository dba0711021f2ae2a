using System.Globalization;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// The workflow that showed chunk ids past Durable Functions' 100 characters and colliding param
/// sequence numbers: a sequential 120-iteration <c>for_range&gt;</c> of <c>sh&gt;</c>, a 60-item
/// <c>for_each&gt;</c> under <c>_parallel: {limit: 8}</c>, and a parallel 3,000-iteration
/// <c>for_range&gt;</c> of <c>echo&gt;</c> — with the default 50 children per orchestration, 155
/// chunks, the last loop's two levels deep.
/// </summary>
/// <remarks>
/// Its params check the order of contributions across orchestrations: every iteration of
/// <c>+seq</c> must see what the one before stored (also across chunks), not the root's older
/// <c>_export</c>; <c>+each</c>'s <c>_export</c>, set after <c>+seq</c>'s chunks returned, must win
/// over what they stored; <c>+check</c> must see the last stored value again. A wrong order
/// fails a <c>test</c> in a script, so the attempt fails.
/// </remarks>
internal static class ChunkedAttempt
{
    public const string Name = "repro";

    public const int SequentialIterations = 120;

    public const int Items = 60;

    public const int FanOut = 3_000;

    public static string Workflow { get; } = $$"""
        _export:
          marker: root-export
        +seq:
          for_range>:
            from: 0
            to: {{SequentialIterations}}
            step: 1
          _do:
            sh>: |
              test "${marker}" = "${range.index == 0 ? 'root-export' : 'seq-' + (range.index - 1)}" && echo "marker=seq-${range.index}" > "$BO_OUTPUT"
        +each:
          _export:
            marker: each-export
          for_each>:
            item: [{{string.Join(", ", Enumerable.Range(1, Items).Select(i => i.ToString(CultureInfo.InvariantCulture)))}}]
          _parallel:
            limit: 8
          _do:
            sh>: test "${marker}" = each-export && echo "item_${item}=${item}" > "$BO_OUTPUT"
        +fan:
          for_range>:
            from: 0
            to: {{FanOut}}
            step: 1
          _parallel: true
          _do:
            echo>: ${range.index} ${marker}
        +check:
          sh>: test "${marker}" = "seq-{{SequentialIterations - 1}}" && test "${item_1}${item_{{Items}}}" = "1{{Items}}" && echo "checked=${marker}" > "$BO_OUTPUT"
        """;

    public static async Task<RunResult> RunAsync(WorkflowProject project)
    {
        project.Write(Name + ".dig", Workflow);
        return await project.RunAsync(Name);
    }

    /// <summary>Every orchestration instance of the project's runtime (a test project runs only this attempt).</summary>
    public static async Task<IReadOnlyList<OrchestrationMetadata>> InstancesAsync(WorkflowProject project)
    {
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in project.Engine!.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 500 }))
        {
            instances.Add(instance);
        }

        return instances;
    }

    /// <summary>The store params the run recorded: every iteration's, each item's, and the final check's.</summary>
    public static void AssertStoredParams(RunResult run)
    {
        for (var i = 0; i < SequentialIterations; i++)
        {
            var task = run.Task($"+{Name}+seq^sub+range-from={i}&to={i + 1}");
            Assert.AreEqual($"seq-{i}", task.StoreParams?.GetProperty("marker").GetString(), task.TaskName);
        }

        var items = run.Tasks.Where(t => t.TaskName.StartsWith($"+{Name}+each^sub+for-", StringComparison.Ordinal)).ToList();
        Assert.HasCount(Items, items);
        var stored = items.SelectMany(t => t.StoreParams!.Value.EnumerateObject()).Select(p => $"{p.Name}={p.Value.GetString()}").Order().ToList();
        CollectionAssert.AreEquivalent(Enumerable.Range(1, Items).Select(i => $"item_{i}={i}").ToList(), stored);
        Assert.AreEqual(FanOut, run.Tasks.Count(t => t.TaskName.StartsWith($"+{Name}+fan^sub+range-", StringComparison.Ordinal)));
        Assert.AreEqual($"seq-{SequentialIterations - 1}", run.Task($"+{Name}+check").StoreParams?.GetProperty("checked").GetString());
    }
}
