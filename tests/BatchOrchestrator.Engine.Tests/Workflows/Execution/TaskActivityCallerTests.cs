using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Execution;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary><see cref="TaskActivityCaller"/> alone, on the fake context: pending records ride along; failures become the task's, retryable or not.</summary>
[TestClass]
public sealed class TaskActivityCallerTests
{
    private static readonly TaskRequest Request = new()
    {
        AttemptId = "attempt-1",
        TaskName = "+w+t",
        OperatorName = "http",
        Command = System.Text.Json.JsonSerializer.SerializeToElement("https://example.com/"),
        Config = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string>()),
        Params = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string>()),
        WorkingDirectory = "/project",
        Log = new TaskLogKey("project", "w", "2026-11-21T01:00:00+00:00", "attempt-1", "+w+t", 0),
    };

    private static (Caught? Failure, FakeOrchestration Fake) Call(Func<RunOperatorInput, TaskResult> handler)
    {
        var fake = new FakeOrchestration(WorkflowHarness.Start).OnActivity(ActivityNames.RunOperator, handler);
        var failure = fake.Run<Caught?>(async context =>
        {
            var recorder = new TaskRecorder(context, "attempt-1", new AttemptClock(0, null));
            recorder.Set("+w+t", TaskState.Running);
            try
            {
                await new TaskActivityCaller(context, recorder).CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(Request));
                return null;
            }
            catch (TaskFailure failure)
            {
                return new Caught(failure.Message, failure.Retryable);
            }
        });
        return (failure, fake);
    }

    [TestMethod]
    public void The_pending_records_ride_on_the_call_and_no_other_activity_is_made()
    {
        var (failure, fake) = Call(_ => TaskResult.Empty);

        Assert.IsNull(failure);
        var call = fake.Activities().Single();
        Assert.AreEqual("+w+t", call.InputAs<RunOperatorInput>().Writes!.Records.Single().Record.TaskName);
    }

    [TestMethod]
    public void A_task_failure_keeps_its_message_and_can_be_retried()
    {
        var (failure, _) = Call(_ => throw new TaskFailure("HTTP 503"));

        Assert.AreEqual("HTTP 503", failure!.Message);
        Assert.IsTrue(failure.Retryable);
    }

    [TestMethod]
    public void A_permanent_failure_is_not_retried()
    {
        var (failure, _) = Call(_ => throw new PermanentTaskFailure("bad option"));

        Assert.AreEqual("bad option", failure!.Message);
        Assert.IsFalse(failure.Retryable);
    }

    [TestMethod]
    public void Any_other_error_names_its_type()
    {
        var (failure, _) = Call(_ => throw new IOException("disk full"));

        Assert.AreEqual("System.IO.IOException: disk full", failure!.Message);
        Assert.IsTrue(failure.Retryable);
    }
}

/// <summary>What a test's orchestration caught, as its (serializable) result.</summary>
internal sealed record Caught(string Message, bool Retryable);
