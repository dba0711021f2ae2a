using System.Globalization;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Runtime.Debugger;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// A Jint engine without CLR access, with the limits of <see cref="TemplateEngineOptions"/>, its clock
/// zone and culture fixed so results do not depend on the host. Globals are set per evaluation to exactly
/// the variables the expression reads.
/// </summary>
internal sealed class JintSandbox
{
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);
    private readonly long? _maxAllocatedBytes;
    private long _allocationStart;

    public JintSandbox(TemplateEngineOptions options, bool guarded)
    {
        Engine = new Engine(o => o
            .TimeoutInterval(options.Timeout)
            .MaxStatements(options.MaxStatements)
            .LimitRecursion(options.MaxRecursionDepth)
            .LocalTimeZone(TimeZoneInfo.Utc)
            .Culture(CultureInfo.InvariantCulture)
            .DebugMode(guarded));
        if (guarded)
        {
            _maxAllocatedBytes = options.MaxAllocatedBytes;
            Engine.Step += CheckAllocation;
        }
    }

    public Engine Engine { get; }

    /// <summary>Binds the variables (null: make sure it is unbound) and runs <paramref name="source"/>.</summary>
    public JsValue Run(string source, IReadOnlyList<(string Name, JsonElement? Value)> bindings)
    {
        foreach (var (name, value) in bindings)
        {
            if (value is { } json)
            {
                Engine.SetValue(name, JsonToJavaScript.Convert(Engine, json));
                _bound.Add(name);
            }
            else if (_bound.Remove(name))
            {
                Engine.Global.Delete(name, false);
            }
        }

        _allocationStart = GC.GetAllocatedBytesForCurrentThread();
        return Engine.Execute(source).GetCompletionValue();
    }

    private StepMode CheckAllocation(object sender, DebugInformation info)
    {
        if (GC.GetAllocatedBytesForCurrentThread() - _allocationStart > _maxAllocatedBytes)
        {
            throw new AllocationLimitException();
        }

        return StepMode.Into;
    }
}

/// <summary>Thrown from inside the interpreter to stop an evaluation that allocated too much.</summary>
internal sealed class AllocationLimitException : Exception
{
    public AllocationLimitException()
        : base("The template allocated more memory than allowed.")
    {
    }
}
