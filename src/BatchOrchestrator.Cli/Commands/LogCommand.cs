using System.Text;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo log &lt;attempt&gt; [+task] [-f]</c>: the logs of an attempt's tasks (or of one task and
/// the tasks under it), every try, in task order. With <c>-f</c>, keeps printing what is
/// appended until the attempt ends.
/// </summary>
public sealed class LogCommand(CliContext context)
{
    public Task<int> RunAsync(string attemptReference, string? task, bool follow, StateOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            await using var state = await RunSource.OpenAsync(options, cancellationToken);
            var attempt = await AttemptFinder.FindAsync(state.Runs, attemptReference, cancellationToken);
            var anchor = task is null ? null : TaskNames.Resolve(await state.Runs.GetTasksAsync(attempt.AttemptId, cancellationToken), task);
            var reader = new Reader(context.Output);
            while (true)
            {
                // Read the status before the logs: output written before the attempt ended is then always printed.
                var running = (await state.Runs.GetAttemptAsync(attempt.AttemptId, cancellationToken))?.Status == AttemptStatus.Running;
                var tasks = await state.Runs.GetTasksAsync(attempt.AttemptId, cancellationToken);
                var shown = tasks.Where(t => anchor is null || TaskNames.IsWithin(t.TaskName, anchor)).ToList();
                foreach (var log in await state.LogTriesAsync(attempt.AttemptId, shown, cancellationToken))
                {
                    await reader.PrintNewAsync(state, log, cancellationToken);
                }

                if (!follow || !running)
                {
                    break;
                }

                try
                {
                    await Task.Delay(context.PollInterval, context.Clock, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }
            }

            if (!reader.PrintedAny)
            {
                var finished = (await state.Runs.GetAttemptAsync(attempt.AttemptId, cancellationToken))?.Status is not (null or AttemptStatus.Running);
                var what = anchor is null ? $"attempt {attempt.AttemptId}" : anchor;
                await context.Output.WriteLineAsync(finished ? $"{what}: no task wrote a log (no output)" : $"no logs for {what} yet");
            }

            return 0;
        });

    /// <summary>Prints what is new in each log file since the last look, under a header naming the task and try.</summary>
    private sealed class Reader(TextWriter output)
    {
        private readonly Dictionary<string, (long Offset, Decoder Decoder)> _files = new(StringComparer.Ordinal);
        private string? _lastHeader;
        private bool _atLineStart = true;

        public bool PrintedAny => _lastHeader is not null;

        public async Task PrintNewAsync(RunSource source, TaskLogTry file, CancellationToken cancellationToken)
        {
            var (offset, decoder) = _files.TryGetValue(file.Id, out var known) ? known : (0L, Encoding.UTF8.GetDecoder());
            var bytes = await source.ReadLogAsync(file, offset, cancellationToken);
            if (bytes.Length == 0 && _files.ContainsKey(file.Id))
            {
                return;
            }

            var read = bytes.Length;
            var chars = new char[decoder.GetCharCount(bytes, 0, read, flush: false)];
            decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            _files[file.Id] = (offset + read, decoder);
            var header = $"--- {file.TaskName} (try {file.Try}) ---";
            if (_lastHeader != header)
            {
                if (!_atLineStart)
                {
                    await output.WriteLineAsync();
                }

                await output.WriteLineAsync(header);
                _atLineStart = true;
                _lastHeader = header;
            }

            if (chars.Length > 0)
            {
                await output.WriteAsync(chars);
                _atLineStart = chars[^1] == '\n';
            }
        }
    }
}
