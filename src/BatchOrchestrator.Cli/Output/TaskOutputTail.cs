using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>One line a task wrote, for <c>bo run</c> to print as it comes.</summary>
public sealed record TaskOutputLine(string TaskName, string Text);

/// <summary>
/// Follows the logs of an attempt's tasks and hands out what is new, as whole lines: each call of
/// <see cref="ReadAsync"/> reads every task's current try from where the last call stopped. A task
/// that moved to a new try has its earlier tries read to the end first, so no line is lost between
/// tries. Reused tasks (their records copied from an earlier attempt) are not followed: their
/// output belongs to that attempt.
/// </summary>
public sealed class TaskOutputTail(ILogStore logs)
{
    private readonly Dictionary<string, Followed> _followed = new(StringComparer.Ordinal);

    /// <summary>The lines written since the last call, task by task in the order of <paramref name="progress"/>'s records.</summary>
    public async Task<IReadOnlyList<TaskOutputLine>> ReadAsync(AttemptProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var lines = new List<TaskOutputLine>();
        foreach (var task in progress.Tasks)
        {
            if (progress.IsReused(task) || task.LogReference is not { } reference || TaskLogKey.FromReference(reference) is not { } key)
            {
                continue;
            }

            // Tries between the one followed and the current one (a fast retry ends a try between two looks) are read whole.
            _followed.TryGetValue(task.TaskName, out var followed);
            for (var earlier = followed?.Key.Try ?? 1; earlier < key.Try && (followed is null || followed.Key != key); earlier++)
            {
                followed ??= new Followed(task.TaskName, key with { Try = earlier });
                await followed.ReadAsync(logs, lines, cancellationToken);
                followed.Flush(lines);
                followed = null;
            }

            if (followed is null || followed.Key != key)
            {
                followed = new Followed(task.TaskName, key);
                _followed[task.TaskName] = followed;
            }

            await followed.ReadAsync(logs, lines, cancellationToken);
        }

        return lines;
    }

    /// <summary>What remains of each log after its last newline: the end of output that did not end a line.</summary>
    public IReadOnlyList<TaskOutputLine> Flush()
    {
        var lines = new List<TaskOutputLine>();
        foreach (var followed in _followed.Values)
        {
            followed.Flush(lines);
        }

        return lines;
    }

    private sealed class Followed(string taskName, TaskLogKey key)
    {
        private long _offset;
        private string _partial = string.Empty;

        public TaskLogKey Key => key;

        public async Task ReadAsync(ILogStore logs, List<TaskOutputLine> lines, CancellationToken cancellationToken)
        {
            while (true)
            {
                var chunk = await logs.ReadAsync(key, _offset, cancellationToken);
                if (chunk.Text.Length == 0)
                {
                    return;
                }

                _offset = chunk.NextOffset;
                var text = _partial + chunk.Text;
                var end = text.LastIndexOf('\n');
                if (end < 0)
                {
                    _partial = text;
                    continue;
                }

                lines.AddRange(text[..end].Split('\n').Select(line => new TaskOutputLine(taskName, line.TrimEnd('\r'))));
                _partial = text[(end + 1)..];
            }
        }

        public void Flush(List<TaskOutputLine> lines)
        {
            if (_partial.Length > 0)
            {
                lines.Add(new TaskOutputLine(taskName, _partial));
                _partial = string.Empty;
            }
        }
    }
}
