using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// The local engine writes orchestration payloads with compile-time JSON metadata; the Functions
/// app's Durable worker reads and writes them by reflection with the same web defaults. Both must
/// give the same JSON, or an attempt could not move between hosts' serializers (and a history
/// read by Durable Functions Monitor would differ from the embedded runtime's).
/// </summary>
[TestClass]
public sealed class PayloadJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    [TestMethod]
    public async Task Payloads_written_with_compile_time_metadata_are_the_json_reflection_writes()
    {
        await using var project = await WorkflowProject.StartAsync();
        // A failing try with a retry, store params, a chunked group (more than 50 children) and a
        // parallel one: every payload type a sh> workflow puts in history.
        project.Write("shapes.dig", $$"""
            +first:
              _retry: 1
              sh>: |
                test -f marker || { touch marker; exit 3; }
                echo '{"k": "v"}' > "$BO_OUTPUT"
            +many:
            {{string.Concat(Enumerable.Range(1, 55).Select(i => $"  +e{i}:\n    echo>: e{i}\n"))}}
            +side:
              _parallel: true
              +a:
                sh>: echo a
              +b:
                sh>: echo ${k}
            """);

        var run = await project.RunAsync("shapes");
        Assert.IsTrue(run.Succeeded, run.Describe());

        var checkedPayloads = 0;
        var client = project.Engine!.Client;
        var page = await client.QueryInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = 500 });
        foreach (var instance in page.Instances)
        {
            var names = new Dictionary<int, string>();
            foreach (var e in await client.GetHistoryAsync(instance.InstanceId))
            {
                if (e.EventType is HistoryEventType.TaskScheduled or HistoryEventType.SubOrchestrationInstanceCreated)
                {
                    names[e.EventId] = e.Name!;
                }

                var type = e.EventType switch
                {
                    HistoryEventType.TaskScheduled => InputOf(e.Name!),
                    HistoryEventType.TaskCompleted => ResultOf(names[e.TaskScheduledId]),
                    HistoryEventType.SubOrchestrationInstanceCreated or HistoryEventType.ExecutionStarted when e.Name == ActivityNames.ChunkOrchestrator => typeof(ChunkInput),
                    HistoryEventType.SubOrchestrationInstanceCompleted => typeof(TaskOutcome),
                    _ => null,
                };
                if (type is null || e.Payload is null)
                {
                    continue;
                }

                var value = JsonDataConverter.Default.Deserialize(e.Payload, type);
                var byReflection = JsonSerializer.Serialize(value, type, Reflection);
                Assert.IsTrue(
                    JsonNode.DeepEquals(JsonNode.Parse(e.Payload), JsonNode.Parse(byReflection)),
                    $"{e.EventType} {e.Name} of {type.Name}:\nstored     {e.Payload}\nreflection {byReflection}");
                checkedPayloads++;
            }
        }

        Assert.IsGreaterThan(10, checkedPayloads, "the workflow put too few payloads in history to compare");
    }

    [TestMethod]
    public void A_workflow_file_of_megabytes_is_written_as_the_same_json_and_read_back_whole()
    {
        // Quotes, new lines, '+' (escaped by the default encoder), accents, and an emoji (a
        // surrogate pair) at every offset, so some fall across the writer's segment boundaries.
        var line = "+task_\"x\":\n  echo>: caf\u00e9 \U0001F600 <b>\n";
        var text = string.Concat(Enumerable.Range(0, 1_200_000 / line.Length).Select(i => new string('a', i % 7) + line));
        var source = new WorkflowSource { Path = "big.dig", Files = [new WorkflowFile("big.dig", text)] };

        var json = JsonDataConverter.Default.Serialize(source)!;

        // The text as any writer of a whole string gives it, in the same document.
        StringAssert.Contains(json, "\"text\":" + JsonSerializer.Serialize(text, Reflection));
        var read = (WorkflowSource)JsonDataConverter.Default.Deserialize(json, typeof(WorkflowSource))!;
        Assert.AreEqual(text, read.Files.Single().Text);
    }

    private static Type? InputOf(string activity) => activity switch
    {
        ActivityNames.LaunchCommand => typeof(LaunchCommandInput),
        ActivityNames.PollCommand or ActivityNames.FinishCommand => typeof(CommandStateInput),
        ActivityNames.RecordTasks => typeof(RecordTasksInput),
        ActivityNames.FinishAttempt => typeof(FinishAttemptInput),
        ActivityNames.RunOperator => typeof(RunOperatorInput),
        ActivityNames.LoadWorkflow => typeof(PlanReference),
        _ => null,
    };

    private static Type? ResultOf(string activity) => activity switch
    {
        ActivityNames.LaunchCommand or ActivityNames.PollCommand => typeof(CommandStatus),
        ActivityNames.ChunkOrchestrator => typeof(TaskOutcome),
        ActivityNames.LoadWorkflow => typeof(WorkflowSource),
        _ => null,
    };
}
