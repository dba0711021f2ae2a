using System.Text.Json;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Params as environment variables, Digdag's <c>sh&gt;</c> rule: every param whose name is a valid
/// variable name, strings as they are, anything else as JSON. Values only ever travel as
/// environment values, never spliced into a script, so no quoting is needed or possible to get wrong.
/// Besides them <c>BO_TRY</c>: which try this is, from 1 as every view shows it (a script that must
/// act on its retries, or the main job's simulated flaky API, reads it).
/// </summary>
internal static partial class ParamEnvironment
{
    /// <summary>The try's number, from 1.</summary>
    public const string TryVariable = "BO_TRY";

    /// <summary>The params' variables with <c>_env</c> laid over them.</summary>
    public static Dictionary<string, string> Build(TaskRequest request)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TryVariable] = (request.Try + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
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
