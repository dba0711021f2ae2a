using System.Text.Json;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary><c>for_each&gt;: {key: [values]}</c> — runs <c>_do</c> for every combination of the values, each exported under its key.</summary>
public sealed class ForEachOperator : IOrchestratorOperator
{
    public static OperatorDescription Description { get; } = new("for_each", "repeats _do for every combination of values")
    {
        Example = "for_each>: {fruit: [apple, orange]}", PassesParams = true, Body = OperatorBody.Do, Validator = new ValuesValidator(),
    };

    public OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subtasks = SubtaskGenerator.ForEach(ControlValues.Node(request.Command), ControlValues.Body(request), ControlValues.Node(request.Option("_parallel")));
        return new OrchestratorTaskResult { Subtasks = ControlValues.ToElement(subtasks) };
    }

    /// <summary>Each key's value is a list, a JSON array string, or a template.</summary>
    private sealed class ValuesValidator : IOperatorValidator
    {
        public void Validate(OperatorCheck check)
        {
            if (check.Command is not { } command || OperatorCheck.IsTemplate(command) || check.Mapping(check.Key, command) is not { } mapping)
            {
                return;
            }

            foreach (var entry in mapping.Entries)
            {
                var ok = entry.Value switch
                {
                    SequenceNode => true,
                    ScalarNode { IsNull: false } s when OperatorCheck.IsTemplate(s) => true,
                    ScalarNode { IsNull: false } s => IsJsonArray(s.Value),
                    _ => false,
                };
                if (!ok)
                {
                    check.Error(entry.Value.Location, $"{check.Key} {entry.Name}: expected a list of values (or a JSON array string), got {OperatorCheck.Show(entry.Value)}");
                }
            }
        }

        private static bool IsJsonArray(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Array;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
