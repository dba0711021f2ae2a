using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.ThirdPartyOperator;

/// <summary>
/// <c>word_count&gt;: file</c> with <c>min: N</c> — counts the words of a file of the project
/// (relative to the workflow's folder), stores the count as <c>${word_count.count}</c>, and fails
/// the task when there are fewer than <c>min</c>. An activity: it reads a file. Reading is safe
/// to repeat. Written as a plug-in would be, against the Engine's SPI only.
/// </summary>
public sealed class WordCountOperator(BatchOrchestrator.Engine.Stores.ILogStore logs) : IOperator
{
    /// <summary>The one description of the operator: bo check, the compiler and the hosts read it.</summary>
    public static OperatorDescription Description { get; } = new("word_count", "counts the words of a project file")
    {
        Example = "word_count>: data/words.txt",
        Options = [new("min", OptionType.Integer, Required: true)],
        Validator = new RelativePathValidator(),
    };

    /// <summary>What a host registers (<c>LocalEngineOptions.ExtraOperators</c>, the Functions composition's extra operators).</summary>
    public static OperatorDefinition Definition { get; } =
        OperatorDefinition.Activity(Description, services => new WordCountOperator(services.Logs));

    public string Name => Description.Name;

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = request.Command.ValueKind == JsonValueKind.String ? request.Command.GetString()! : request.Command.GetRawText();
        if (Path.IsPathRooted(file))
        {
            throw new PermanentTaskFailure($"word_count>: '{file}' is not a path inside the project");
        }

        var min = Minimum(request);
        var text = await File.ReadAllTextAsync(Path.Combine(request.WorkingDirectory, file), cancellationToken);
        var count = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        await logs.AppendAsync(request.Log, $"word_count>: {file} has {count} words (at least {min} wanted)\n", cancellationToken);
        if (count < min)
        {
            throw new TaskFailure($"word_count>: {file} has {count} words, fewer than {min}", retryable: false);
        }

        return new TaskResult
        {
            StoreParams = JsonSerializer.SerializeToElement(new JsonObject { ["word_count"] = new JsonObject { ["count"] = count } }),
        };
    }

    /// <summary>Nothing outlives a run.</summary>
    public Task CleanupAsync(TaskRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The rendered <c>min</c>: a number, or the text of one when a template gave it.</summary>
    private static long Minimum(TaskRequest request)
    {
        if (request.Config.ValueKind == JsonValueKind.Object && request.Config.TryGetProperty("min", out var min))
        {
            if (min.ValueKind == JsonValueKind.Number && min.TryGetInt64(out var number))
            {
                return number;
            }

            if (min.ValueKind == JsonValueKind.String && long.TryParse(min.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        throw new PermanentTaskFailure($"word_count>: min: expected a whole number, got {(request.Config.ValueKind == JsonValueKind.Object && request.Config.TryGetProperty("min", out var given) ? given.GetRawText() : "nothing")}");
    }

    /// <summary>The file is the project's: an absolute path is refused where the workflow writes it.</summary>
    private sealed class RelativePathValidator : IOperatorValidator
    {
        public void Validate(OperatorCheck check)
        {
            if (check.Command is { } command && !OperatorCheck.IsTemplate(command) && check.String(check.Key, command) is { } file && Path.IsPathRooted(file))
            {
                check.Error(command.Location, $"{check.Key} expected a file of the project (a relative path such as data/words.txt), got {OperatorCheck.Show(command)}");
            }
        }
    }
}
