using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Operators.Builtin.Mail;
using BatchOrchestrator.Engine.Operators.Builtin.Notify;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>The operators that tell people what happened: <c>notify&gt;</c> (also used for attempt and SLA notifications) and <c>mail&gt;</c>.</summary>
public static class OperationsOperators
{
    /// <summary>
    /// Registers <c>notify&gt;</c> and <c>mail&gt;</c>. <paramref name="http"/> is the host's shared
    /// client (its own timeout infinite: each request has one); <paramref name="logs"/> the masking log store.
    /// </summary>
    public static OperatorRegistry AddOperations(this OperatorRegistry registry, HttpClient http, ILogStore logs, HttpRetryPolicy? webhookRetry = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Add(new NotifyOperator(http, logs, webhookRetry))
            .Add(new MailOperator(logs));
    }
}
