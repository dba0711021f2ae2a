using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo check &lt;file|dir&gt;...</c>: tells whether each workflow is valid and what it will do.
/// Exit 0 when every workflow is valid, 1 with the list of errors otherwise, 2 when a path is missing.
/// </summary>
/// <param name="operators">The operators of the host that would run the workflows (<see cref="CliContext.CreateOperators"/>).</param>
public sealed class CheckCommand(TextWriter output, TextWriter error, IOperatorCatalog operators)
{
    public async Task<int> RunAsync(IReadOnlyList<string> paths, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        foreach (var path in paths.Count == 0 ? ["."] : paths)
        {
            if (Directory.Exists(path))
            {
                var found = WorkflowLoader.FindWorkflowFiles(path);
                if (found.Count == 0)
                {
                    await error.WriteLineAsync($"{path}: no .dig workflow files in this folder");
                    return 2;
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                await error.WriteLineAsync($"{path}: no such file or folder");
                return 2;
            }
        }

        var loader = new WorkflowLoader(operators);
        var valid = 0;
        var errorCount = 0;
        foreach (var file in files)
        {
            var result = await loader.LoadAsync(file, cancellationToken);
            if (result.Definition is { } definition && ScriptPathCheck.Check(definition) is { Count: > 0 } missing)
            {
                var all = new Language.Diagnostics.DiagnosticBag();
                all.AddRange(result.Diagnostics);
                all.AddRange(missing);
                result = result with { Diagnostics = all.Sorted() };
            }

            WorkflowReport.Print(result, now, output);
            if (result.IsValid)
            {
                valid++;
            }

            errorCount += result.Errors.Count();
        }

        var invalid = files.Count - valid;
        await output.WriteLineAsync(
            $"{files.Count} workflow{(files.Count == 1 ? string.Empty : "s")} checked: {valid} valid, {invalid} invalid" +
            (errorCount > 0 ? $" ({errorCount} error{(errorCount == 1 ? string.Empty : "s")})" : string.Empty));
        return invalid == 0 ? 0 : 1;
    }
}
