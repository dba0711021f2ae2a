using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>What a host gives activity operators when it makes them (<see cref="OperatorDefinition.CreateActivity"/>).</summary>
/// <param name="Http">The host's shared client; its own timeout is infinite: each request has one.</param>
/// <param name="Logs">The masking log store: secret values are masked before a line reaches a log.</param>
/// <param name="Params">The project's persistent params (<c>param_get&gt;</c>/<c>param_set&gt;</c>).</param>
public sealed record OperatorServices(HttpClient Http, ILogStore Logs, IParamStore Params);
