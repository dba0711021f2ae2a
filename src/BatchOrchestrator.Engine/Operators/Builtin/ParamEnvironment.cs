using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Params as environment variables, Digdag's <c>sh&gt;</c> rule: every param whose name is a valid
/// variable name, strings as they are, anything else as JSON. Values only ever travel as
/// environment values, never spliced into a script, so no quoting is needed or possible to get wrong.
/// Besides them <c>BO_TRY</c>: which try this is, from 1 as every view shows it (a script that must
/// act on its retries, or the main job's simulated flaky API, reads it).
/// </summary>
internal static class ParamEnvironment
{
    /// <summary>The try's number, from 1.</summary>
    public const string TryVariable = "BO_TRY";

    /// <summary>The params' variables with <c>_env</c> laid over them.</summary>
    public static Dictionary<string, string> Build(TaskRequest request)
    {
        var isObject = request.Params.ValueKind == JsonValueKind.Object;

        // Sized once: a task sees some forty built-ins, and growing a map to that size copies it five times.
        var environment = new Dictionary<string, string>((isObject ? request.Params.GetPropertyCount() : 0) + request.Environment.Count + 1, StringComparer.Ordinal)
        {
            [TryVariable] = (request.Try + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (isObject)
        {
            foreach (var param in request.Params.EnumerateObject())
            {
                if (IsVariableName(param.Name))
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

    /// <summary>A valid variable name: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    internal static bool IsVariableName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
