using BatchOrchestrator.Engine.Operators.Builtin.Control;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Operators.Builtin.Mail;
using BatchOrchestrator.Engine.Operators.Builtin.Notify;
using BatchOrchestrator.Engine.Operators.Builtin.Params;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// The built-in operators every host registers, so the local engine and the Functions app offer
/// the same set: the control operators evaluated in the orchestrator (<c>if&gt;</c>,
/// <c>loop&gt;</c>, <c>for_each&gt;</c>, <c>for_range&gt;</c>, <c>echo&gt;</c>, <c>fail&gt;</c>), the
/// activities (<c>http&gt;</c>, <c>param_get&gt;</c>, <c>param_set&gt;</c>, <c>notify&gt;</c>,
/// <c>mail&gt;</c>) and the commands executors run (<c>sh&gt;</c>, <c>py&gt;</c>, <c>rb&gt;</c>). Hosts add their
/// own (e.g. Blob storage's) beside these.
/// </summary>
public static class BuiltinOperators
{
    /// <param name="webhookRetry">Retries of notification webhooks; the default policy when null.</param>
    public static OperatorRegistry AddBuiltins(this OperatorRegistry registry, HttpRetryPolicy? webhookRetry = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Add(OperatorDefinition.Orchestrator(IfOperator.Description, new IfOperator()))
            .Add(OperatorDefinition.Orchestrator(LoopOperator.Description, new LoopOperator()))
            .Add(OperatorDefinition.Orchestrator(ForEachOperator.Description, new ForEachOperator()))
            .Add(OperatorDefinition.Orchestrator(ForRangeOperator.Description, new ForRangeOperator()))
            .Add(OperatorDefinition.Orchestrator(FailOperator.Description, new FailOperator()))
            .Add(OperatorDefinition.Orchestrator(EchoOperator.Description, new EchoOperator()))
            .Add(OperatorDefinition.Command(ShOperator.Description, new ShOperator()))
            .Add(OperatorDefinition.Command(PyOperator.Description, new PyOperator()))
            .Add(OperatorDefinition.Command(RbOperator.Description, new RbOperator()))
            .Add(OperatorDefinition.Activity(HttpOperator.Description, s => new HttpOperator(s.Http, s.Logs)))
            .Add(OperatorDefinition.Activity(MailOperator.Description, s => new MailOperator(s.Logs)))
            .Add(OperatorDefinition.Activity(ParamGetOperator.Description, s => new ParamGetOperator(s.Params)))
            .Add(OperatorDefinition.Activity(ParamSetOperator.Description, s => new ParamSetOperator(s.Params)))
            .Add(OperatorDefinition.Activity(NotifyOperator.Description, s => new NotifyOperator(s.Http, s.Logs, webhookRetry)));
    }
}
