using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// A write waiting for the writer. It may be applied more than once (its batch rolled back and
/// retried alone), so only the last application's result is handed out, and only after commit.
/// </summary>
internal abstract class PendingWrite(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public abstract void Apply(WriteCommands commands, SqliteTransaction transaction);

    public abstract void Succeed();

    public abstract void Fail(Exception error);

    public void Cancel() => Fail(new OperationCanceledException(CancellationToken));
}

/// <inheritdoc cref="PendingWrite"/>
internal sealed class PendingWrite<T>(Func<WriteCommands, SqliteTransaction, T> write, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Completion => _completion.Task;

    public override void Apply(WriteCommands commands, SqliteTransaction transaction) => _result = write(commands, transaction);

    public override void Succeed() => _completion.TrySetResult(_result!);

    public override void Fail(Exception error)
    {
        if (error is OperationCanceledException canceled)
        {
            _completion.TrySetCanceled(canceled.CancellationToken);
        }
        else
        {
            _completion.TrySetException(error);
        }
    }
}
