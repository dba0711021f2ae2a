using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Registration;

/// <summary>
/// Orchestrators and activities by name (case-sensitive). Fill it before the runtime starts;
/// it is read concurrently afterwards and must not change.
/// </summary>
public sealed class OrchestrationRegistry
{
    private readonly Dictionary<string, Func<IOrchestrationContext, Task<object?>>> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivityFunc> _activities = new(StringComparer.Ordinal);

    /// <summary>Registers an orchestrator that reads its input with <see cref="IOrchestrationContext.GetInput{T}"/>.</summary>
    public OrchestrationRegistry AddOrchestrator<TOutput>(string name, Func<IOrchestrationContext, Task<TOutput>> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return AddOrchestrator(name, async context => (object?)await orchestrator(context));
    }

    /// <summary>Registers an orchestrator with a typed input.</summary>
    public OrchestrationRegistry AddOrchestrator<TInput, TOutput>(string name, Func<IOrchestrationContext, TInput, Task<TOutput>> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return AddOrchestrator(name, async context => (object?)await orchestrator(context, context.GetInput<TInput>()!));
    }

    /// <summary>Registers an orchestrator without output.</summary>
    public OrchestrationRegistry AddOrchestrator(string name, Func<IOrchestrationContext, Task> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return AddOrchestrator(name, async context =>
        {
            await orchestrator(context);
            return null;
        });
    }

    private OrchestrationRegistry AddOrchestrator(string name, Func<IOrchestrationContext, Task<object?>> orchestrator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_orchestrators.TryAdd(name, orchestrator))
        {
            throw new ArgumentException($"An orchestrator named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>
    /// Registers an activity. It runs at least once per call, possibly more after a crash, so it
    /// must be idempotent (<see cref="TaskActivityContext"/> gives a stable key).
    /// </summary>
    public OrchestrationRegistry AddActivity<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, CancellationToken, Task<TOutput>> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return AddActivity(name, typeof(TInput), async (context, input, cancellation) => await activity(context, (TInput)input!, cancellation));
    }

    /// <summary>
    /// Registers an activity whose input is deserialized as <paramref name="inputType"/> (see the
    /// typed overload for its guarantees): how a table of activities given as data is registered.
    /// </summary>
    public OrchestrationRegistry AddActivity(string name, Type inputType, Func<TaskActivityContext, object?, CancellationToken, Task<object?>> activity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputType);
        ArgumentNullException.ThrowIfNull(activity);
        // An input the orchestrator handed over in this process is taken as it is when it is of the
        // very type its serialized form would be read as; anything else is read from that form.
        ActivityFunc run = (context, input, shared, converter, cancellation) =>
            activity(context, shared is not null && shared.GetType() == inputType ? shared : converter.Deserialize(input, inputType), cancellation);
        if (!_activities.TryAdd(name, run))
        {
            throw new ArgumentException($"An activity named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers a synchronous activity (see the asynchronous overload for its guarantees).</summary>
    public OrchestrationRegistry AddActivity<TInput, TOutput>(string name, Func<TInput, TOutput> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return AddActivity<TInput, TOutput>(name, (_, input, _) => Task.FromResult(activity(input)));
    }

    internal Func<IOrchestrationContext, Task<object?>>? FindOrchestrator(string name) => _orchestrators.GetValueOrDefault(name);

    internal ActivityFunc? FindActivity(string name) => _activities.GetValueOrDefault(name);

    internal IEnumerable<string> OrchestratorNames => _orchestrators.Keys.Order(StringComparer.Ordinal);

    internal IEnumerable<string> ActivityNames => _activities.Keys.Order(StringComparer.Ordinal);
}

/// <summary>An activity as the workers run it: serialized input (and the input itself, when shared in process) in, a value out.</summary>
internal delegate Task<object?> ActivityFunc(TaskActivityContext context, string? input, object? shared, DataConverter converter, CancellationToken cancellation);
