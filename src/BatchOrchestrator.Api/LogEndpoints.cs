using System.Globalization;
using System.Text;
using BatchOrchestrator.Engine.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>
/// The log routes of the API (docs/api.md): an attempt's logs, one per task try, read from a
/// byte offset, and followed until the task ends. Logs come from the log store by the reference
/// recorded on each task, so they work the same whichever store the host uses.
/// </summary>
internal static class LogEndpoints
{
    /// <summary>The header with the byte offset to read from next.</summary>
    public const string NextOffsetHeader = "X-Next-Offset";

    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var logs = api.MapGroup("/attempts/{attemptId}/logs").WithTags("logs");
        logs.MapGet("", async (string attemptId, IRunStore runs, ILogStore store, CancellationToken cancellationToken) =>
        {
            if (await runs.GetAttemptAsync(attemptId, cancellationToken) is null)
            {
                return AttemptEndpoints.NoAttempt(attemptId);
            }

            var files = new List<LogFileView>();
            foreach (var task in await runs.GetTasksAsync(attemptId, cancellationToken))
            {
                foreach (var key in TriesOf(task))
                {
                    var size = await SizeAsync(store, key, cancellationToken);
                    if (size > 0 || key.RelativePath == task.LogReference)
                    {
                        files.Add(new LogFileView(task.TaskName, key.Try, key.RelativePath, size));
                    }
                }
            }

            return Results.Ok(files);
        }).Produces<List<LogFileView>>().ProducesProblem(StatusCodes.Status404NotFound);

        logs.MapGet("/{task}", ReadAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ReadAsync(
        string attemptId, string task, string? @try, string? offset, string? follow, HttpContext http, IRunStore runs, ILogStore store, ApiOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ApiProblems.First(
                ApiProblems.CheckTaskName("task", task),
                ApiRequests.ReadInt(@try, "try", 1, 1_000_000, 0, out var tryNumber),
                ReadOffset(offset, out var start)) is { } bad)
        {
            return bad;
        }

        if (follow is not (null or "true" or "false"))
        {
            return ApiProblems.Invalid("follow", $"'{follow}' is not true or false");
        }

        if (await runs.GetAttemptAsync(attemptId, cancellationToken) is null)
        {
            return AttemptEndpoints.NoAttempt(attemptId);
        }

        var record = (await runs.GetTasksAsync(attemptId, cancellationToken)).FirstOrDefault(t => t.TaskName == task);
        if (record is null)
        {
            return ApiProblems.NotFound($"attempt {attemptId} has no task '{task}'");
        }

        var tries = TriesOf(record);
        var key = tryNumber == 0 ? tries.LastOrDefault() : tries.FirstOrDefault(k => k.Try == tryNumber);
        if (key is null)
        {
            return ApiProblems.NotFound(tries.Count == 0 ? $"task {task} has no log yet" : $"task {task} has no try {tryNumber} (its tries: {string.Join(", ", tries.Select(k => k.Try))})");
        }

        if (follow != "true")
        {
            // One part of a long log (clients read on from X-Next-Offset until a part is empty), so a read never holds all of it.
            var (texts, next) = await ReadPartAsync(store, key, start, options.MaxLogPartBytes, cancellationToken);
            http.Response.Headers[NextOffsetHeader] = next.ToString(CultureInfo.InvariantCulture);
            http.Response.ContentType = "text/plain; charset=utf-8";
            foreach (var text in texts)
            {
                await http.Response.WriteAsync(text, cancellationToken);
            }

            return Results.Empty;
        }

        // Followed: the text is streamed as it is appended, until the task (or the attempt) has ended and all of it was sent.
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.StartAsync(cancellationToken);
        var position = start;
        while (!cancellationToken.IsCancellationRequested)
        {
            var ended = await EndedAsync(runs, attemptId, task, cancellationToken);
            while (true)
            {
                var (texts, next) = await ReadPartAsync(store, key, position, options.MaxLogPartBytes, cancellationToken);
                if (texts.Count == 0)
                {
                    break;
                }

                foreach (var text in texts)
                {
                    await http.Response.WriteAsync(text, cancellationToken);
                }

                await http.Response.Body.FlushAsync(cancellationToken);
                position = next;
            }

            if (ended)
            {
                break;
            }

            await Task.Delay(options.FollowInterval, clock, cancellationToken);
        }

        return Results.Empty;
    }

    /// <summary>Whether a task is done writing its log: it finished, or its attempt did.</summary>
    private static async Task<bool> EndedAsync(IRunStore runs, string attemptId, string task, CancellationToken cancellationToken)
    {
        if ((await runs.GetAttemptAsync(attemptId, cancellationToken))?.Status != AttemptStatus.Running)
        {
            return true;
        }

        var record = (await runs.GetTasksAsync(attemptId, cancellationToken)).FirstOrDefault(t => t.TaskName == task);
        return record is not null && TaskStateProgress.IsFinished(record.State);
    }

    private static IResult? ReadOffset(string? text, out long value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            ? null
            : ApiProblems.Invalid("offset", $"'{text}' is not a byte offset (0 or more)");
    }

    /// <summary>Every try's log key of a task: the recorded one names the last try; the earlier tries' logs sit beside it.</summary>
    private static List<TaskLogKey> TriesOf(TaskRecord task)
    {
        if (task.LogReference is not { } reference || TaskLogKey.FromReference(reference) is not { } last)
        {
            return [];
        }

        // Log files count tries from 1 (task.try1.log is the first try's).
        return [.. Enumerable.Range(1, Math.Max(last.Try, 1)).Select(n => last with { Try = n })];
    }

    /// <summary>
    /// The log from <paramref name="offset"/> on, as the store's chunks (kept apart: joined, a part
    /// would be one large string), until about <paramref name="maxBytes"/> (one chunk more at most) or its end.
    /// </summary>
    private static async Task<(List<string> Texts, long Next)> ReadPartAsync(ILogStore store, TaskLogKey key, long offset, long maxBytes, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        var start = offset;
        while (offset - start < maxBytes)
        {
            var chunk = await store.ReadAsync(key, offset, cancellationToken);
            if (chunk.Text.Length == 0)
            {
                break;
            }

            texts.Add(chunk.Text);
            offset = chunk.NextOffset;
        }

        return (texts, offset);
    }

    private static async Task<long> SizeAsync(ILogStore store, TaskLogKey key, CancellationToken cancellationToken)
    {
        long offset = 0;
        while (true)
        {
            var chunk = await store.ReadAsync(key, offset, cancellationToken);
            if (chunk.NextOffset == offset)
            {
                return offset;
            }

            offset = chunk.NextOffset;
        }
    }
}
