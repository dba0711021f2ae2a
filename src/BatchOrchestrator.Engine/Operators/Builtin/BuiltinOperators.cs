using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Operators.Builtin.Params;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// The built-in work operators every host registers (<c>http&gt;</c>, <c>param_get&gt;</c>,
/// <c>param_set&gt;</c>, <c>notify&gt;</c>, <c>mail&gt;</c>), so the local engine and the Functions
/// app offer the same set. Scripting operators (<c>sh&gt;</c>, <c>py&gt;</c>) go through
/// <see cref="Workflows.WorkflowServices"/>; hosts add their own (e.g. Blob storage's) beside these.
/// </summary>
public static class BuiltinOperators
{
    /// <param name="http">The host's shared client (its own timeout infinite: each request has one).</param>
    /// <param name="logs">The masking log store.</param>
    /// <param name="parameters">The project's persistent params.</param>
    /// <param name="webhookRetry">Retries of notification webhooks; the default policy when null.</param>
    public static OperatorRegistry AddBuiltins(this OperatorRegistry registry, HttpClient http, ILogStore logs, IParamStore parameters, HttpRetryPolicy? webhookRetry = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Add(new HttpOperator(http, logs))
            .Add(new ParamSetOperator(parameters))
            .Add(new ParamGetOperator(parameters))
            .AddOperations(http, logs, webhookRetry);
    }
}
