using Mono.Cecil;
using Mono.Cecil.Cil;

namespace BatchOrchestrator.Determinism.Tests.Checker;

/// <summary>A forbidden API that orchestrator code can reach, and one shortest way it gets there.</summary>
/// <param name="Api">The forbidden member, e.g. <c>System.IO.File::ReadAllText</c>.</param>
/// <param name="Rule">Why it is forbidden.</param>
/// <param name="Site">The method that calls it, as <see cref="MethodNames.Source"/> names it.</param>
/// <param name="Path">The callers from a root to the site, then the API.</param>
internal sealed record Violation(string Api, string Rule, string Site, IReadOnlyList<string> Path)
{
    public override string ToString() => $"{Api}: {Rule}{System.Environment.NewLine}      " + string.Join($"{System.Environment.NewLine}   -> ", Path);
}

/// <summary>A forbidden API that is harmless where it is called, and why.</summary>
/// <param name="Site">The calling method, <c>Namespace.Type::Method</c> (its lambdas, local functions and state machines included).</param>
/// <param name="Api">The API (<c>Type::Member</c>), or a prefix of it such as a type name.</param>
internal sealed record AllowedUse(string Site, string Api, string Reason);

/// <summary>
/// A type of ours that interface and virtual calls are not followed into, and why: one that
/// orchestrator code never holds. The checker holds it to that — creating one in reach is reported —
/// and direct calls to its methods are still followed.
/// </summary>
internal sealed record UnfollowedImplementation(string Type, string Reason);

/// <summary>
/// Walks the IL call graph reachable from orchestrator entry points through the checked assemblies
/// and reports every forbidden API (<see cref="ForbiddenApis"/>) it reaches, with the callers that
/// lead there. Conservative where it cannot know:
/// <list type="bullet">
/// <item>An interface or virtual call into the checked assemblies goes to every implementation in them
/// (matched by name and parameter count), and one with no implementation there is itself reported.</item>
/// <item>A lambda or local function is reached where a delegate to it is made (ldftn); an async or
/// iterator method reaches its state machine's MoveNext; a type's static constructor is reached
/// with its first use.</item>
/// <item>Every virtual method of an object created in reach counts as reached (code outside the
/// checked assemblies — the BCL, Jint — may call it: ToString, Equals, a converter's Read).</item>
/// </list>
/// Calls out of the checked assemblies (the BCL, Jint, YamlDotNet, logging) are not followed: they
/// are checked against the forbidden list only, so what a library does inside is not seen.
/// Members of <c>IOrchestrationContext</c> are allowed and not followed.
/// </summary>
internal sealed class PurityChecker
{
    /// <summary>Calls to these interfaces are what orchestrator code is meant to make.</summary>
    private static readonly HashSet<string> ContextInterfaces = new(StringComparer.Ordinal)
    {
        "BatchOrchestrator.Engine.Orchestration.IOrchestrationContext",
    };

    private readonly Dictionary<string, TypeDefinition> _types = new(StringComparer.Ordinal);
    private readonly List<TypeDefinition> _classes = [];
    private readonly IReadOnlyList<AllowedUse> _allowed;
    private readonly IReadOnlyList<UnfollowedImplementation> _unfollowed;

    public PurityChecker(IEnumerable<string> assemblyPaths, IReadOnlyList<AllowedUse>? allowed = null, IReadOnlyList<UnfollowedImplementation>? unfollowed = null)
    {
        _allowed = allowed ?? [];
        _unfollowed = unfollowed ?? [];
        var resolver = new Resolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        foreach (var path in assemblyPaths)
        {
            resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
            var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = false });
            resolver.Register(assembly);
            foreach (var type in assembly.MainModule.GetTypes())
            {
                _types[type.FullName] = type;
                if (!type.IsInterface)
                {
                    _classes.Add(type);
                }
            }
        }
    }

    /// <summary>The allowances that matched something in the last <see cref="Check"/> (the others are stale).</summary>
    public HashSet<AllowedUse> UsedAllowances { get; } = [];

    /// <summary>The unfollowed implementations that some call would have gone into in the last <see cref="Check"/>.</summary>
    public HashSet<UnfollowedImplementation> UsedUnfollowed { get; } = [];

    /// <summary>The methods the last <see cref="Check"/> reached, as <see cref="MethodNames.Source"/> names them.</summary>
    public IReadOnlySet<string> Reached { get; private set; } = new HashSet<string>();

    /// <summary>How many methods the last <see cref="Check"/> reached.</summary>
    public int ReachedMethods { get; private set; }

    public MethodDefinition Method(string typeFullName, string name) =>
        _types.TryGetValue(typeFullName, out var type)
            ? type.Methods.Single(m => m.Name == name)
            : throw new ArgumentException($"{typeFullName} is not in the checked assemblies");

    public IReadOnlyList<Violation> Check(params MethodDefinition[] roots)
    {
        UsedAllowances.Clear();
        UsedUnfollowed.Clear();
        var walk = new Walk(this);
        foreach (var root in roots)
        {
            walk.Reach(root, null, "entry point");
        }

        // Converters System.Text.Json creates from [JsonConverter] attributes, when our types are (de)serialized.
        foreach (var converter in _types.Values.SelectMany(t => t.CustomAttributes.Concat(t.Properties.SelectMany(p => p.CustomAttributes)))
                     .Where(a => a.AttributeType.FullName == "System.Text.Json.Serialization.JsonConverterAttribute" && a.ConstructorArguments.Count == 1)
                     .Select(a => a.ConstructorArguments[0].Value).OfType<TypeReference>().Select(Ours).OfType<TypeDefinition>().Distinct())
        {
            walk.Instantiate(converter, roots[0], "created by System.Text.Json");
        }

        walk.Run();
        ReachedMethods = walk.Reached;
        Reached = walk.ReachedNames;
        return walk.Violations;
    }

    private TypeDefinition? Ours(TypeReference type) => _types.GetValueOrDefault(type.GetElementType().FullName);

    private MethodDefinition? Ours(MethodReference method)
    {
        if (Ours(method.DeclaringType) is not { } type)
        {
            return null;
        }

        return method.Resolve() ?? type.Methods.FirstOrDefault(m => m.Name == method.Name && m.Parameters.Count == method.Parameters.Count);
    }

    private bool IsUnfollowed(TypeDefinition type, out UnfollowedImplementation? entry)
    {
        entry = _unfollowed.FirstOrDefault(u => u.Type == type.FullName);
        return entry is not null;
    }

    /// <summary>The types of ours a type is, itself included (base classes and interfaces, transitively).</summary>
    private IEnumerable<TypeDefinition> SelfAndSupertypes(TypeDefinition type)
    {
        var seen = new HashSet<TypeDefinition>();
        var pending = new Stack<TypeDefinition>([type]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            yield return next;
            if (next.BaseType is { } baseType && Ours(baseType) is { } ourBase)
            {
                pending.Push(ourBase);
            }

            foreach (var implemented in next.Interfaces)
            {
                if (Ours(implemented.InterfaceType) is { } ourInterface)
                {
                    pending.Push(ourInterface);
                }
            }
        }
    }

    /// <summary>Every method of ours a virtual or interface call to <paramref name="method"/> may run (itself when it has a body).</summary>
    private IEnumerable<MethodDefinition> Implementations(MethodDefinition method)
    {
        if (method.HasBody)
        {
            yield return method;
        }

        var declaring = method.DeclaringType;
        foreach (var type in _classes)
        {
            if (type == declaring || !SelfAndSupertypes(type).Contains(declaring))
            {
                continue;
            }

            foreach (var candidate in type.Methods)
            {
                if (!candidate.IsVirtual || !candidate.HasBody)
                {
                    continue;
                }

                var explicitly = candidate.Overrides.Any(o => Ours(o) == method);
                var implicitly = candidate.Name == method.Name && candidate.Parameters.Count == method.Parameters.Count;
                if (explicitly || implicitly)
                {
                    yield return candidate;
                }
            }
        }
    }

    /// <summary>One check: the reached methods, how each was first reached, and what was found.</summary>
    private sealed class Walk(PurityChecker checker)
    {
        private readonly Dictionary<MethodDefinition, (MethodDefinition? From, string How)> _reached = [];
        private readonly Queue<MethodDefinition> _pending = new();
        private readonly HashSet<TypeDefinition> _instantiated = [];
        private readonly HashSet<(string Site, string Api)> _reported = [];

        public List<Violation> Violations { get; } = [];

        public int Reached => _reached.Count;

        public HashSet<string> ReachedNames => _reached.Keys.Select(MethodNames.Source).ToHashSet(StringComparer.Ordinal);

        public void Reach(MethodDefinition method, MethodDefinition? from, string how)
        {
            if (_reached.TryAdd(method, (from, how)))
            {
                _pending.Enqueue(method);
            }
        }

        public void Instantiate(TypeDefinition type, MethodDefinition from, string how)
        {
            if (!_instantiated.Add(type))
            {
                return;
            }

            if (checker.IsUnfollowed(type, out var unfollowed))
            {
                // Not following calls into it is sound only while orchestrator code never holds one.
                Report(from, type.FullName + "::.ctor", $"creates an instance of a type that calls are not followed into ({unfollowed!.Reason})");
                return;
            }

            foreach (var self in checker.SelfAndSupertypes(type).Where(t => !t.IsInterface))
            {
                if (checker.IsUnfollowed(self, out var entry))
                {
                    checker.UsedUnfollowed.Add(entry!);
                    continue;
                }

                foreach (var method in self.Methods.Where(m => m.IsVirtual && m.HasBody))
                {
                    Reach(method, from, how);
                }
            }
        }

        public void Run()
        {
            while (_pending.TryDequeue(out var method))
            {
                Visit(method);
            }
        }

        private void Visit(MethodDefinition method)
        {
            foreach (var attribute in method.CustomAttributes)
            {
                if (attribute.AttributeType.Name is "AsyncStateMachineAttribute" or "IteratorStateMachineAttribute" or "AsyncIteratorStateMachineAttribute"
                    && attribute.ConstructorArguments[0].Value is TypeReference machine
                    && checker.Ours(machine) is { } machineType)
                {
                    foreach (var moveNext in machineType.Methods.Where(m => m.Name == "MoveNext" && m.HasBody))
                    {
                        Reach(moveNext, method, "body");
                    }
                }
            }

            if (!method.HasBody)
            {
                return;
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case MethodReference callee when instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn:
                        VisitCall(method, instruction, callee);
                        break;
                    case FieldReference field when checker.Ours(field.DeclaringType) is { } owner:
                        StaticConstructor(owner, method);
                        break;
                    case TypeReference type when instruction.OpCode.Code is Code.Initobj or Code.Box && checker.Ours(type) is { } valueType:
                        Instantiate(valueType, method, "a value of it made here");
                        break;
                }
            }
        }

        private void VisitCall(MethodDefinition caller, Instruction instruction, MethodReference callee)
        {
            if (checker.Ours(callee.DeclaringType) is null)
            {
                if (ForbiddenApis.Rule(callee, instruction, caller) is { } rule)
                {
                    Report(caller, Describe(callee), rule);
                }

                return;
            }

            if (ContextInterfaces.Contains(callee.DeclaringType.GetElementType().FullName))
            {
                return;
            }

            var target = checker.Ours(callee) ?? throw new InvalidOperationException($"{callee.FullName} does not resolve in the checked assemblies");
            StaticConstructor(target.DeclaringType, caller);
            if (instruction.OpCode.Code == Code.Newobj || (target.IsConstructor && target.DeclaringType.IsValueType))
            {
                Instantiate(target.DeclaringType, caller, "an instance made here");
            }

            var dispatched = instruction.OpCode.Code is Code.Callvirt or Code.Ldvirtftn && (target.IsVirtual || target.IsAbstract);
            if (!dispatched)
            {
                Reach(target, caller, instruction.OpCode.Code == Code.Ldftn ? "delegate" : "call");
                return;
            }

            var any = false;
            foreach (var implementation in checker.Implementations(target))
            {
                any = true;
                if (checker.IsUnfollowed(implementation.DeclaringType, out var entry))
                {
                    checker.UsedUnfollowed.Add(entry!);
                    continue;
                }

                Reach(implementation, caller, implementation == target ? "call" : $"dispatch of {MethodNames.Source(target)}");
            }

            if (!any)
            {
                Report(caller, Describe(callee), "an interface whose implementations are all outside the checked assemblies (a host, a store): what they do is not checked");
            }
        }

        private void StaticConstructor(TypeDefinition type, MethodDefinition from)
        {
            if (type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } cctor)
            {
                Reach(cctor, from, "static initialization");
            }
        }

        private void Report(MethodDefinition site, string api, string rule)
        {
            var siteName = MethodNames.Source(site);
            if (checker._allowed.FirstOrDefault(a => siteName.StartsWith(a.Site, StringComparison.Ordinal) && api.StartsWith(a.Api, StringComparison.Ordinal)) is { } allowance)
            {
                checker.UsedAllowances.Add(allowance);
                return;
            }

            if (!_reported.Add((siteName, api)))
            {
                return;
            }

            var path = new List<string> { api };
            for (MethodDefinition? at = site; at is not null; at = _reached[at].From)
            {
                var (from, how) = _reached[at];
                path.Add(from is null ? MethodNames.Display(at) : $"{MethodNames.Display(at)}  [{how}]");
            }

            path.Reverse();
            Violations.Add(new Violation(api, rule, siteName, path));
        }

        private static string Describe(MethodReference method) =>
            $"{method.DeclaringType.GetElementType().FullName}::{method.Name}";
    }

    /// <summary>Resolves the checked assemblies to the definitions already read, so every reference meets the same objects.</summary>
    private sealed class Resolver : DefaultAssemblyResolver
    {
        public void Register(AssemblyDefinition assembly) => RegisterAssembly(assembly);
    }
}
