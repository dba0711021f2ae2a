using System.Text.RegularExpressions;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// The parts of a Bicep file a deployment's wiring depends on: its parameters (and which have
/// defaults) and the modules it calls with the parameters it passes. A line-based reading of the
/// subset this repository writes (one declaration per line, <c>params: {</c> blocks), not a parser.
/// </summary>
internal sealed partial record BicepFile(string Path, IReadOnlyDictionary<string, bool> Parameters, IReadOnlyList<BicepModule> Modules)
{
    public static BicepFile Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var parameters = new Dictionary<string, bool>(StringComparer.Ordinal);
        var modules = new List<BicepModule>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (ParamLine().Match(lines[i]) is { Success: true } param)
            {
                parameters[param.Groups["name"].Value] = param.Groups["default"].Success;
            }
            else if (ModuleLine().Match(lines[i]) is { Success: true } module)
            {
                modules.Add(new BicepModule(module.Groups["symbol"].Value, module.Groups["path"].Value, PassedParameters(lines, i)));
            }
        }

        return new BicepFile(path, parameters, modules);
    }

    /// <summary>The keys of the module's <c>params: { ... }</c> block, at its own nesting level.</summary>
    private static IReadOnlyList<string> PassedParameters(string[] lines, int moduleLine)
    {
        var passed = new List<string>();
        var depth = 0;
        var inParams = false;
        for (var i = moduleLine + 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!inParams)
            {
                if (line == "params: {")
                {
                    inParams = true;
                    depth = 1;
                }
                else if (line == "}")
                {
                    break;
                }

                continue;
            }

            if (depth == 1 && KeyLine().Match(line) is { Success: true } key)
            {
                passed.Add(key.Groups["key"].Value);
            }

            depth += line.Count(c => c is '{' or '[') - line.Count(c => c is '}' or ']');
            if (depth == 0)
            {
                break;
            }
        }

        return passed;
    }

    [GeneratedRegex(@"^param\s+(?<name>\w+)\s+[\w\[\]]+(?<default>\s*=.*)?$")]
    private static partial Regex ParamLine();

    [GeneratedRegex(@"^module\s+(?<symbol>\w+)\s+'(?<path>[^']+)'\s*=")]
    private static partial Regex ModuleLine();

    [GeneratedRegex(@"^(?<key>\w+):")]
    private static partial Regex KeyLine();
}

internal sealed record BicepModule(string Symbol, string Path, IReadOnlyList<string> PassedParameters);
