using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>Loads a workflow for running it: valid, or a <see cref="UserError"/> listing each problem as <c>file:line:col: message</c>.</summary>
public static class WorkflowFiles
{
    /// <param name="operators">The operators of the host that will run it.</param>
    public static async Task<WorkflowDefinition> LoadValidAsync(string path, IOperatorCatalog operators, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!File.Exists(path))
        {
            throw new UserError($"{path}: no such workflow file", 2);
        }

        var result = await new WorkflowLoader(operators).LoadAsync(path, cancellationToken);
        foreach (var warning in result.Diagnostics.Where(d => !d.IsError))
        {
            await error.WriteLineAsync(warning.ToString());
        }

        if (!result.IsValid)
        {
            var errors = result.Errors.ToList();
            throw new UserError(
                $"{path} is not a valid workflow ({errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}):" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }

        return result.Definition!;
    }
}
