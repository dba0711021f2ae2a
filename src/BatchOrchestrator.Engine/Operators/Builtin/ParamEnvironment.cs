using System.Text.Json;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Params as environment variables, Digdag's <c>sh&gt;</c> rule: every param whose name is a valid
/// variable name, strings as they are, anything else as JSON. Values only ever travel as
/// environment values, never spliced into a script, so no quoting is needed or possible to get wrong.
/// </summary>
internal static partial class ParamEnvironment
{
    /// <summary>The params' variables with <c>_env</c> laid over them.</summary>
    public static Dictionary<string, string> Build(TaskRequest request)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Params.ValueKind == JsonValueKind.Object)
        {
            foreach (var param in request.Params.EnumerateObject())
            {
                if (ValidName().IsMatch(param.Name))
                {
                    environment[param.Name] = param.Value.ValueKind == JsonValueKind.String
                        ? param.Value.GetString()!
                        : param.Value.GetRawText();
                }
            }
        }

        foreach (var (name, value) in request.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ValidName();
}
