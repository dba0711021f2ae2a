using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Tests.Harness;

public enum AppFunctionKind
{
    Orchestrator,
    Activity,
}

/// <summary>A Durable function of the Functions app: the method, and the name its <c>[Function]</c> attribute gives it.</summary>
public sealed record AppFunction(string Name, AppFunctionKind Kind, MethodInfo Method)
{
    /// <summary>What the method's task yields (null for a plain <see cref="Task"/>).</summary>
    public Type? OutputType => Method.ReturnType.IsGenericType && Method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
        ? Method.ReturnType.GetGenericArguments()[0]
        : Method.ReturnType == typeof(Task) || Method.ReturnType == typeof(void) ? null : Method.ReturnType;
}

/// <summary>
/// The Functions app's orchestrator and activity functions, found the way the Functions SDK finds
/// them (<c>[Function]</c> methods with an <c>[OrchestrationTrigger]</c> or <c>[ActivityTrigger]</c>
/// parameter), and registered on a Durable Task worker under their function names. Each invocation
/// creates the function's class from the app's services, as the Functions worker's activator does,
/// and binds what the app's functions ask for: the trigger's context or input, a
/// <c>[DurableClient]</c> <see cref="DurableTaskClient"/>, a <see cref="CancellationToken"/>.
/// A parameter the harness cannot bind fails discovery, so a new kind of binding is noticed here.
/// </summary>
public static class AppFunctions
{
    public static IReadOnlyList<AppFunction> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new List<AppFunction>();
        foreach (var type in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var parameters = method.GetParameters();
                AppFunctionKind? kind =
                    parameters.Any(p => p.IsDefined(typeof(OrchestrationTriggerAttribute))) ? AppFunctionKind.Orchestrator
                    : parameters.Any(p => p.IsDefined(typeof(ActivityTriggerAttribute))) ? AppFunctionKind.Activity
                    : parameters.Any(p => p.IsDefined(typeof(EntityTriggerAttribute))) ? throw new NotSupportedException($"{Describe(method)} is an entity function: the harness registers orchestrators and activities only.")
                    : null;
                if (kind is not { } durable)
                {
                    continue; // HTTP and timer functions: not Durable Task work.
                }

                var appFunction = new AppFunction(function.Name, durable, method);
                foreach (var parameter in parameters)
                {
                    _ = Binder(appFunction, parameter);
                }

                if (appFunction.OutputType is { } output && (output == typeof(ValueTask) || (output.IsGenericType && output.GetGenericTypeDefinition() == typeof(ValueTask<>))))
                {
                    throw new NotSupportedException($"{Describe(method)} returns {output.Name}: the harness awaits Task and Task<T>.");
                }

                found.Add(appFunction);
            }
        }

        return found;
    }

    /// <param name="registry">The worker's registry.</param>
    /// <param name="functions">From <see cref="Discover"/>.</param>
    /// <param name="app">The app's services (its own composition).</param>
    /// <param name="client">The client a <c>[DurableClient]</c> parameter gets; asked for at each invocation (the host creates it after the registry is filled).</param>
    /// <param name="cancellation">What a <see cref="CancellationToken"/> parameter gets: the host's shutdown, as in the Functions worker.</param>
    /// <param name="converter">The worker's data converter (an orchestrator's input is converted with it on demand).</param>
    public static void Register(DurableTaskRegistry registry, IReadOnlyList<AppFunction> functions, IServiceProvider app, Func<DurableTaskClient> client, DataConverter converter, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(functions);
        foreach (var function in functions)
        {
            var invocation = new Invocation(function, app, client, cancellation);
            if (function.Kind == AppFunctionKind.Orchestrator)
            {
                registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(invocation, converter));
            }
            else
            {
                registry.AddActivity(function.Name, new FunctionActivity(invocation));
            }
        }
    }

    private static string Describe(MethodInfo method) => $"{method.DeclaringType?.Name}.{method.Name}";

    /// <summary>How one parameter gets its value from (orchestration context or activity input, activity context).</summary>
    private static Func<object?, Invocation, object?> Binder(AppFunction function, ParameterInfo parameter)
    {
        if (parameter.IsDefined(typeof(OrchestrationTriggerAttribute)))
        {
            return parameter.ParameterType == typeof(TaskOrchestrationContext)
                ? (trigger, _) => trigger
                : throw new NotSupportedException($"{Describe(function.Method)}: an orchestration trigger of type {parameter.ParameterType.Name} (the harness passes TaskOrchestrationContext).");
        }

        if (parameter.IsDefined(typeof(ActivityTriggerAttribute)))
        {
            return (trigger, _) => trigger;
        }

        if (parameter.IsDefined(typeof(DurableClientAttribute)))
        {
            return parameter.ParameterType == typeof(DurableTaskClient)
                ? (_, invocation) => invocation.Client()
                : throw new NotSupportedException($"{Describe(function.Method)}: a Durable client of type {parameter.ParameterType.Name}.");
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return (_, invocation) => invocation.Cancellation;
        }

        throw new NotSupportedException($"{Describe(function.Method)}: the harness cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}).");
    }

    private sealed class Invocation(AppFunction function, IServiceProvider app, Func<DurableTaskClient> client, CancellationToken cancellation)
    {
        private readonly Func<object?, Invocation, object?>[] _binders = [.. function.Method.GetParameters().Select(p => Binder(function, p))];

        public AppFunction Function => function;

        public Func<DurableTaskClient> Client => client;

        public CancellationToken Cancellation => cancellation;

        public Type InputType => function.Method.GetParameters().SingleOrDefault(p => p.IsDefined(typeof(ActivityTriggerAttribute)))?.ParameterType ?? typeof(object);

        public async Task<object?> RunAsync(object? trigger)
        {
            var method = function.Method;

            // A new instance per invocation, from the app's services, as the Functions worker activates function classes.
            var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(app, method.DeclaringType!);
            var arguments = _binders.Select(bind => bind(trigger, this)).ToArray();
            var result = method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            if (result is not Task task)
            {
                return result;
            }

            await task;
            return function.OutputType is null ? null : task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
        }
    }

    private sealed class FunctionOrchestrator(Invocation invocation, DataConverter converter) : ITaskOrchestrator
    {
        // As in the Functions extension: the function reads its input itself (context.GetInput<T>()), converted on demand.
        public Type InputType => typeof(object);

        public Type OutputType => typeof(object);

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var output = await invocation.RunAsync(new FunctionOrchestrationContext(context, converter));
            FunctionOrchestrationContext.ThrowIfNotOrchestratorThread();
            return output;
        }
    }

    private sealed class FunctionActivity(Invocation invocation) : ITaskActivity
    {
        public Type InputType => invocation.InputType;

        public Type OutputType => invocation.Function.OutputType ?? typeof(object);

        public Task<object?> RunAsync(TaskActivityContext context, object? input) => invocation.RunAsync(input);
    }
}
