using Durable = Microsoft.DurableTask;
using DurableClient = Microsoft.DurableTask.Client;
using Ours = BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Functions.Adapters;

/// <summary>
/// Field-for-field conversions between Durable Task's types and the Engine's mirrors of them. The
/// Engine's types were made with Durable's parameters and status values, so nothing here decides
/// anything; the behaviour they carry is the Engine's, tested on the embedded runtime.
/// </summary>
internal static class DurableConversions
{
    public static Durable.TaskOptions? ToDurable(Ours.TaskOptions? options, string? subOrchestrationInstanceId = null)
    {
        var retry = options?.Retry is { } policy ? new Durable.TaskRetryOptions(ToDurable(policy)) : null;
        return subOrchestrationInstanceId is not null
            ? new Durable.SubOrchestrationOptions(retry, subOrchestrationInstanceId)
            : retry is null ? null : new Durable.TaskOptions(retry);
    }

    public static Durable.RetryPolicy ToDurable(Ours.RetryPolicy policy)
    {
        // Without a filter Durable retries every failure, as the Engine's policy does; HandleFailure is init-only.
        if (policy.HandleFailure is not { } handle)
        {
            return new(policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval, policy.RetryTimeout);
        }

        return new(policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval, policy.RetryTimeout)
        {
            HandleFailure = failure => handle(FromDurable(failure)),
        };
    }

    public static Ours.TaskFailureDetails FromDurable(Durable.TaskFailureDetails details) =>
        new(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure is { } inner ? FromDurable(inner) : null);

    public static Ours.TaskFailedException FromDurable(Durable.TaskFailedException failed) =>
        new(failed.TaskName, failed.TaskId, FromDurable(failed.FailureDetails));

// Durable marks ContinuedAsNew obsolete, yet the Engine's status set keeps it (the values are Durable's).
#pragma warning disable CS0618
    public static Ours.OrchestrationRuntimeStatus FromDurable(DurableClient.OrchestrationRuntimeStatus status) => status switch
    {
        DurableClient.OrchestrationRuntimeStatus.Running => Ours.OrchestrationRuntimeStatus.Running,
        DurableClient.OrchestrationRuntimeStatus.Completed => Ours.OrchestrationRuntimeStatus.Completed,
        DurableClient.OrchestrationRuntimeStatus.ContinuedAsNew => Ours.OrchestrationRuntimeStatus.ContinuedAsNew,
        DurableClient.OrchestrationRuntimeStatus.Failed => Ours.OrchestrationRuntimeStatus.Failed,
        DurableClient.OrchestrationRuntimeStatus.Pending => Ours.OrchestrationRuntimeStatus.Pending,
        DurableClient.OrchestrationRuntimeStatus.Suspended => Ours.OrchestrationRuntimeStatus.Suspended,

        // Durable's obsolete Canceled is never produced by the Azure Storage backend; it ended the instance like a termination.
        _ => Ours.OrchestrationRuntimeStatus.Terminated,
    };

    public static DurableClient.OrchestrationRuntimeStatus ToDurable(Ours.OrchestrationRuntimeStatus status) => status switch
    {
        Ours.OrchestrationRuntimeStatus.Running => DurableClient.OrchestrationRuntimeStatus.Running,
        Ours.OrchestrationRuntimeStatus.Completed => DurableClient.OrchestrationRuntimeStatus.Completed,
        Ours.OrchestrationRuntimeStatus.ContinuedAsNew => DurableClient.OrchestrationRuntimeStatus.ContinuedAsNew,
        Ours.OrchestrationRuntimeStatus.Failed => DurableClient.OrchestrationRuntimeStatus.Failed,
        Ours.OrchestrationRuntimeStatus.Terminated => DurableClient.OrchestrationRuntimeStatus.Terminated,
        Ours.OrchestrationRuntimeStatus.Pending => DurableClient.OrchestrationRuntimeStatus.Pending,
        Ours.OrchestrationRuntimeStatus.Suspended => DurableClient.OrchestrationRuntimeStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status"),
    };
#pragma warning restore CS0618

    public static Ours.OrchestrationMetadata FromDurable(DurableClient.OrchestrationMetadata metadata, string? parentInstanceId = null) =>
        new(metadata.Name, metadata.InstanceId)
        {
            RuntimeStatus = FromDurable(metadata.RuntimeStatus),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            SerializedInput = metadata.SerializedInput,
            SerializedOutput = metadata.SerializedOutput,
            SerializedCustomStatus = metadata.SerializedCustomStatus,
            FailureDetails = metadata.FailureDetails is { } failure ? FromDurable(failure) : null,
            ParentInstanceId = parentInstanceId,
        };

    public static DurableClient.OrchestrationQuery ToDurable(Ours.OrchestrationQuery query) => new(
        CreatedFrom: query.CreatedFrom,
        CreatedTo: query.CreatedTo,
        Statuses: query.Statuses?.Select(ToDurable).ToList(),
        InstanceIdPrefix: query.InstanceIdPrefix,
        PageSize: query.PageSize,
        FetchInputsAndOutputs: query.FetchInputsAndOutputs,
        ContinuationToken: query.ContinuationToken);

    public static DurableClient.PurgeInstancesFilter ToDurable(Ours.PurgeInstancesFilter filter) =>
        new(filter.CreatedFrom, filter.CreatedTo, filter.Statuses?.Select(ToDurable).ToList());
}
