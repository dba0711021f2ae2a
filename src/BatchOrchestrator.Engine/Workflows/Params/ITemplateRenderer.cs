using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Evaluates <c>${...}</c> in a string against params. A pure function of its inputs (so it may
/// run in orchestrator code); <c>${secret:...}</c> is left as written for the operator.
/// </summary>
public interface ITemplateRenderer
{
    /// <summary>True when the text holds a template to evaluate.</summary>
    bool HasTemplate(string text);

    /// <summary>The text with every template evaluated; a user's mistake throws a WorkflowLanguageException-like error with a clear message.</summary>
    string Render(string text, JsonObject context);
}
