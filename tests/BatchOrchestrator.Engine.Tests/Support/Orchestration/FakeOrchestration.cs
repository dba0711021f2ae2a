using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Engine.Tests.Support.Orchestration;

/// <summary>
/// A deterministic stand-in for a durable runtime, for tests of orchestrator code at the level of
/// <see cref="IOrchestrationContext"/>: a virtual clock, activities answered by handlers the test
/// gives by name, sub-orchestrations run inline through the orchestrators registered here, and a
/// log of every call (<see cref="Calls"/>).
/// </summary>
/// <remarks>
/// <para>
/// No threads and no real waits: orchestrator code runs on the test's thread under a
/// <see cref="SynchronizationContext"/> of its own, whose queued continuations the driving methods
/// (<see cref="RunUntilIdle"/>, <see cref="AdvanceTo"/>, <see cref="RunToCompletion{T}"/>) run one
/// by one. Activities stay outstanding until the driver answers them, first scheduled first, so a
/// test sees how many an orchestration keeps in flight at once (<see cref="MaxOutstanding"/>).
/// </para>
/// <para>
/// <see cref="Now"/> (every context's <c>CurrentUtcDateTime</c>) moves only when a timer fires
/// or the test advances it: an activity takes no time. A timer fires exactly at its fire time.
/// </para>
/// <para>
/// Inputs and results cross a JSON round trip (<see cref="JsonDataConverter.Default"/>) as on the
/// real hosts, so a value the runtime could not store fails here too.
/// </para>
/// </remarks>
internal sealed class FakeOrchestration
{
    private readonly Pump _pump = new();
    private readonly Dictionary<string, Func<string?, object?>> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<FakeOrchestrationContext, Task<string?>>> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeOrchestrationContext> _instances = new(StringComparer.Ordinal);
    private readonly List<OrchestrationCall> _calls = [];
    private readonly Queue<(ActivityCall Call, TaskCompletionSource<string?> Result)> _outstanding = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _maxInFlight = new(StringComparer.Ordinal);
    private long _sequence;

    public FakeOrchestration(DateTime start)
    {
        Now = DateTime.SpecifyKind(start, DateTimeKind.Utc);
    }

    public DataConverter Converter { get; } = JsonDataConverter.Default;

    /// <summary>The virtual time: <c>CurrentUtcDateTime</c> of every instance.</summary>
    public DateTime Now { get; private set; }

    /// <summary>Every context's <c>Interrupted</c>: a test cancels it to stand for a host giving up a turn.</summary>
    public CancellationToken Interrupted { get; set; }

    /// <summary>Every call of every instance, in order.</summary>
    public IReadOnlyList<OrchestrationCall> Calls => _calls;

    public IEnumerable<ActivityCall> Activities(string? name = null) =>
        _calls.OfType<ActivityCall>().Where(c => name is null || c.Name == name);

    public IEnumerable<TimerCall> Timers => _calls.OfType<TimerCall>();

    public IEnumerable<SubOrchestrationCall> SubOrchestrations => _calls.OfType<SubOrchestrationCall>();

    /// <summary>The most activities of this name that were outstanding at once.</summary>
    public int MaxOutstanding(string activityName) => _maxInFlight.GetValueOrDefault(activityName);

    /// <summary>Answers the activity <paramref name="name"/> with <paramref name="handler"/> (replacing an earlier handler); an exception it throws fails the activity.</summary>
    public FakeOrchestration OnActivity<TInput, TResult>(string name, Func<TInput, TResult> handler)
    {
        _handlers[name] = json => handler(Converter.Deserialize<TInput>(json)!);
        return this;
    }

    /// <summary>
    /// Answers the activity with an asynchronous handler: for real activities
    /// (<see cref="Engine.Workflows.Activities.WorkflowActivities"/>). Their I/O runs outside the
    /// orchestration's context and the driver waits for it: the only real wait this fake makes.
    /// </summary>
    public FakeOrchestration OnActivityAsync<TInput, TResult>(string name, Func<TInput, CancellationToken, Task<TResult>> handler)
    {
        _handlers[name] = json =>
        {
            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                return handler(Converter.Deserialize<TInput>(json)!, CancellationToken.None).GetAwaiter().GetResult();
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(previous);
            }
        };
        return this;
    }

    /// <summary>Registers an orchestrator that <see cref="Start{TInput, TResult}"/> and sub-orchestration calls run.</summary>
    public FakeOrchestration AddOrchestrator<TInput, TResult>(string name, Func<IOrchestrationContext, TInput, Task<TResult>> orchestrator)
    {
        _orchestrators[name] = async context => Converter.Serialize(await orchestrator(context, context.GetInput<TInput>()!));
        return this;
    }

    /// <summary>Starts an orchestration; it runs up to its first wait. Drive it with <see cref="RunToCompletion{T}"/>.</summary>
    public Task<TResult> Start<TInput, TResult>(string name, TInput input, string instanceId)
    {
        using var _ = Enter();
        var context = NewInstance(instanceId, name, Converter.Serialize(input));
        var run = Run(name, context);
        return Typed<TResult>(run);

        async Task<T> Typed<T>(Task<string?> raw) => Converter.Deserialize<T>(await raw)!;
    }

    /// <summary>Runs a piece of orchestrator code (a type of the Engine tested alone) to its end on a context of its own.</summary>
    public T Run<T>(Func<IOrchestrationContext, Task<T>> body, string instanceId = "test")
    {
        var name = "test-" + instanceId;
        AddOrchestrator<int, T>(name, (context, _) => body(context));
        return RunToCompletion(Start<int, T>(name, 0, instanceId));
    }

    /// <summary>
    /// Runs what is ready — continuations, outstanding activities (first scheduled first), timers
    /// already due — until every instance waits on a timer not yet due or an event. Never moves the clock.
    /// </summary>
    public void RunUntilIdle()
    {
        using var _ = Enter();
        while (true)
        {
            if (_pump.RunOne())
            {
                continue;
            }

            if (_outstanding.Count > 0)
            {
                Answer(_outstanding.Dequeue());
                continue;
            }

            if (NextTimer() is { } due && due.FireAt <= Now)
            {
                Fire(due);
                continue;
            }

            return;
        }
    }

    /// <summary>Moves the clock to <paramref name="time"/>, firing each timer due on the way at its own fire time.</summary>
    public void AdvanceTo(DateTime time)
    {
        RunUntilIdle();
        while (NextTimer() is { } next && next.FireAt <= time)
        {
            Now = Max(Now, next.FireAt);
            RunUntilIdle();
        }

        Now = Max(Now, time);
        RunUntilIdle();
    }

    public void AdvanceBy(TimeSpan delay) => AdvanceTo(Now + delay);

    /// <summary>
    /// Runs <paramref name="run"/> to its end, moving the clock straight to the next timer whenever
    /// nothing else is ready. Throws when it waits on something no timer will bring (an event).
    /// </summary>
    public T RunToCompletion<T>(Task<T> run, int maxTimers = 100_000)
    {
        for (var fired = 0; ; fired++)
        {
            RunUntilIdle();
            if (run.IsCompleted)
            {
                return run.GetAwaiter().GetResult();
            }

            if (fired >= maxTimers)
            {
                throw new InvalidOperationException($"still running after {maxTimers} timers: a loop that never ends?");
            }

            var next = NextTimer() ?? throw new InvalidOperationException(
                "the orchestration waits on nothing a timer or an activity will bring (an external event?); last calls: "
                + string.Join("; ", _calls.TakeLast(5)));
            Now = Max(Now, next.FireAt);
        }
    }

    /// <summary>Raises an event on an instance (as a client would).</summary>
    public void RaiseEvent(string instanceId, string eventName, object? payload)
    {
        var json = Converter.Serialize(payload);
        _pump.Post(_ => _instances[instanceId].Deliver(eventName, json), null);
    }

    internal long NextSequence() => ++_sequence;

    internal Task<string?> CallActivity(FakeOrchestrationContext context, string name, object? input)
    {
        var call = new ActivityCall(NextSequence(), context.InstanceId, Now, name, input, Converter.Serialize(input));
        _calls.Add(call);
        var result = new TaskCompletionSource<string?>();
        _outstanding.Enqueue((call, result));
        var inFlight = _inFlight[name] = _inFlight.GetValueOrDefault(name) + 1;
        _maxInFlight[name] = Math.Max(_maxInFlight.GetValueOrDefault(name), inFlight);
        return result.Task;
    }

    internal Task CreateTimer(FakeOrchestrationContext context, DateTime fireAt, CancellationToken cancellationToken)
    {
        var timer = new TimerCall(NextSequence(), context.InstanceId, Now, DateTime.SpecifyKind(fireAt, DateTimeKind.Utc));
        _calls.Add(timer);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (timer.State == TimerState.Pending)
                {
                    timer.State = TimerState.Canceled;
                    timer.Completion.TrySetCanceled(cancellationToken);
                }
            });
        }

        return timer.Completion.Task;
    }

    /// <summary>Starts a sub-orchestration once the caller yields (as a real one starts after the turn that scheduled it).</summary>
    internal Task<string?> CallSubOrchestrator(FakeOrchestrationContext parent, string name, string childInstanceId, object? input)
    {
        var json = Converter.Serialize(input);
        _calls.Add(new SubOrchestrationCall(NextSequence(), parent.InstanceId, Now, name, childInstanceId, json));
        var result = new TaskCompletionSource<string?>();
        _pump.Post(_ => _ = Link(Run(name, NewInstance(childInstanceId, name, json)), result), null);
        return result.Task;

        static async Task Link(Task<string?> child, TaskCompletionSource<string?> result)
        {
            try
            {
                result.SetResult(await child);
            }
            catch (Exception error)
            {
                result.SetException(error);
            }
        }
    }

    internal void SendEvent(string instanceId, string eventName, string? json)
    {
        if (_instances.TryGetValue(instanceId, out var target))
        {
            _pump.Post(_ => target.Deliver(eventName, json), null);
        }
    }

    private FakeOrchestrationContext NewInstance(string instanceId, string name, string? inputJson)
    {
        var context = new FakeOrchestrationContext(this, instanceId, name, inputJson);
        _instances[instanceId] = context;
        return context;
    }

    private Task<string?> Run(string name, FakeOrchestrationContext context) =>
        _orchestrators.TryGetValue(name, out var orchestrator)
            ? orchestrator(context)
            : throw new InvalidOperationException($"no orchestrator '{name}' is registered with the fake");

    private void Answer((ActivityCall Call, TaskCompletionSource<string?> Result) outstanding)
    {
        var (call, result) = outstanding;
        if (!_handlers.TryGetValue(call.Name, out var handler))
        {
            throw new InvalidOperationException($"no handler for activity '{call.Name}' (input {call.InputJson})");
        }

        _inFlight[call.Name]--;
        call.AnsweredAt = Now;
        string? json;
        try
        {
            json = Converter.Serialize(handler(call.InputJson));
        }
        catch (Exception error)
        {
            // As the runtimes report it: the error's type and message, which orchestrator code reads.
            call.Failure = error;
            result.SetException(new TaskFailedException(call.Name, (int)call.Sequence, TaskFailureDetails.FromException(error)));
            return;
        }

        result.SetResult(json);
    }

    private TimerCall? NextTimer() =>
        Timers.Where(t => t.State == TimerState.Pending).OrderBy(t => t.FireAt).ThenBy(t => t.Sequence).FirstOrDefault();

    private void Fire(TimerCall timer)
    {
        timer.State = TimerState.Fired;
        timer.FiredAt = Now;
        timer.Completion.SetResult();
    }

    private static DateTime Max(DateTime a, DateTime b) => a >= b ? a : b;

    private PumpScope Enter() => new(_pump);

    /// <summary>Puts the orchestration's context on the test's thread for the length of one driving call.</summary>
    private readonly struct PumpScope : IDisposable
    {
        private readonly SynchronizationContext? _previous;

        public PumpScope(Pump pump)
        {
            _previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(pump);
        }

        public void Dispose() => SynchronizationContext.SetSynchronizationContext(_previous);
    }

    /// <summary>The single-threaded context orchestrator code runs in: continuations queue here, the driver runs them.</summary>
    private sealed class Pump : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
        private readonly Lock _lock = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_lock)
            {
                _queue.Enqueue((d, state));
            }
        }

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("orchestrator code never blocks on its own thread");

        public override SynchronizationContext CreateCopy() => this;

        public bool RunOne()
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (_lock)
            {
                if (!_queue.TryDequeue(out next))
                {
                    return false;
                }
            }

            next.Callback(next.State);
            return true;
        }
    }
}
