using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Deploy.Tests.Arm;

/// <summary>
/// What Azure Resource Manager would create from a compiled template (the ARM JSON of
/// <c>bicep build</c>), worked out here without Azure: parameters, variables, conditions, copy
/// loops and nested deployments (Bicep modules) are evaluated as ARM evaluates them, into the list
/// of resources with their evaluated bodies. What only exists once a resource is deployed (an
/// identity's principal id, a storage account's endpoints, a module's outputs) comes from
/// <see cref="Runtime"/>: fixed, deterministic values of the shapes ARM returns. A function or
/// resource type the templates start to use that this does not know fails with its name, so the
/// simulation grows with the templates instead of guessing.
/// </summary>
internal sealed class ArmDeployment
{
    public const string SubscriptionId = "6d1f0c3e-0000-4000-8000-000000000001";
    public const string TenantId = "6d1f0c3e-0000-4000-8000-000000000002";

    private readonly List<ArmResource> _resources = [];
    private readonly Dictionary<string, DeclaredDeployment> _deployments = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JsonObject> _deploymentOutputs = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _evaluating = new(StringComparer.OrdinalIgnoreCase);

    private ArmDeployment(string location) => Location = location;

    /// <summary>The region every resource group and <c>resourceGroup().location</c> has.</summary>
    public string Location { get; }

    /// <summary>Every resource the deployment creates, those of nested deployments included (and the deployments themselves); not <c>existing</c> ones.</summary>
    public IReadOnlyList<ArmResource> Resources => _resources;

    /// <summary>The top-level template's outputs.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs { get; private set; } = new Dictionary<string, JsonNode?>();

    /// <summary>Deploys <paramref name="template"/> at subscription scope (what <c>azd provision</c> does with infra/main.bicep).</summary>
    public static ArmDeployment AtSubscription(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters, string location)
    {
        var deployment = new ArmDeployment(location);
        var run = new TemplateRun(deployment, template, parameters, SubscriptionId, resourceGroup: null, "main");
        deployment.Outputs = run.Execute();
        return deployment;
    }

    /// <summary>
    /// The properties ARM returns for a deployed resource (what <c>reference(id)</c> gives), for
    /// the types these templates reference: deterministic functions of the resource id, in the
    /// shapes of the public cloud (endpoints <c>https://NAME.blob.core.windows.net/</c>, ...).
    /// </summary>
    public JsonObject Runtime(string id)
    {
        var (type, names) = ArmIds.Parse(id);
        var name = names[^1];
        return type.ToUpperInvariant() switch
        {
            "MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES" => new JsonObject
            {
                ["clientId"] = Hashes.Guid("clientId", id),
                ["principalId"] = Hashes.Guid("principalId", id),
                ["tenantId"] = TenantId,
            },
            "MICROSOFT.STORAGE/STORAGEACCOUNTS" => new JsonObject
            {
                ["primaryEndpoints"] = new JsonObject
                {
                    ["blob"] = $"https://{name}.blob.core.windows.net/",
                    ["queue"] = $"https://{name}.queue.core.windows.net/",
                    ["table"] = $"https://{name}.table.core.windows.net/",
                    ["file"] = $"https://{name}.file.core.windows.net/",
                    ["dfs"] = $"https://{name}.dfs.core.windows.net/",
                    ["web"] = $"https://{name}.z6.web.core.windows.net/",
                },
            },
            "MICROSOFT.KEYVAULT/VAULTS" => new JsonObject { ["vaultUri"] = $"https://{name}.vault.azure.net/" },
            "MICROSOFT.INSIGHTS/COMPONENTS" => new JsonObject
            {
                ["InstrumentationKey"] = Hashes.Guid("instrumentationKey", id),
                ["ConnectionString"] = $"InstrumentationKey={Hashes.Guid("instrumentationKey", id)};IngestionEndpoint=https://{Location}-0.in.applicationinsights.azure.com/",
            },
            "MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS" => new JsonObject { ["fqdn"] = $"{name}-{Hashes.UniqueString(id)[..8]}.hcp.{Location}.azmk8s.io" },
            "MICROSOFT.WEB/SITES" => new JsonObject { ["defaultHostName"] = $"{name}.azurewebsites.net" },
            "MICROSOFT.OPERATIONALINSIGHTS/WORKSPACES" => new JsonObject { ["customerId"] = Hashes.Guid("customerId", id) },
            "MICROSOFT.RESOURCES/RESOURCEGROUPS" => new JsonObject { ["provisioningState"] = "Succeeded" },
            _ => throw new NotSupportedException($"reference({id}): the simulated ARM has no runtime properties for {type}; add them to ArmDeployment.Runtime."),
        };
    }

    private JsonObject DeploymentOutputs(string id)
    {
        if (_deploymentOutputs.TryGetValue(id, out var done))
        {
            return done;
        }

        if (!_deployments.TryGetValue(id, out var declared))
        {
            throw new InvalidOperationException($"reference({id}): no such deployment is created (is its condition false?).");
        }

        if (!_evaluating.Add(id))
        {
            throw new InvalidOperationException($"Deployment {id} references its own outputs.");
        }

        var outputs = declared.Evaluate();
        var shaped = new JsonObject();
        foreach (var (name, value) in outputs)
        {
            shaped[name] = new JsonObject { ["value"] = value?.DeepClone() };
        }

        var result = new JsonObject { ["outputs"] = shaped };
        _deploymentOutputs[id] = result;
        _evaluating.Remove(id);
        return result;
    }

    private sealed record DeclaredDeployment(Func<IReadOnlyDictionary<string, JsonNode?>> Evaluate);

    /// <summary>One template being deployed at one scope (the top-level template, or a module's).</summary>
    private sealed class TemplateRun
    {
        private readonly ArmDeployment _world;
        private readonly JsonObject _template;
        private readonly Dictionary<string, JsonNode?> _parameters = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonNode?> _variables = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _evaluatingVariables = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _symbols = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _subscriptionId;
        private readonly string? _resourceGroup;
        private readonly string _name;

        public TemplateRun(ArmDeployment world, JsonObject template, IReadOnlyDictionary<string, JsonNode?> given, string subscriptionId, string? resourceGroup, string name)
        {
            _world = world;
            _template = template;
            _subscriptionId = subscriptionId;
            _resourceGroup = resourceGroup;
            _name = name;

            var declared = template["parameters"] as JsonObject ?? [];
            foreach (var key in given.Keys.Where(k => !declared.ContainsKey(k)))
            {
                throw new InvalidOperationException($"{name}: parameter '{key}' is given but not declared.");
            }

            var frame = new Frame(null, 0);
            foreach (var (key, definition) in declared)
            {
                if (given.TryGetValue(key, out var value))
                {
                    _parameters[key] = value?.DeepClone();
                }
                else if (definition is JsonObject d && d.TryGetPropertyValue("defaultValue", out var fallback))
                {
                    _parameters[key] = Evaluate(fallback, frame);
                }
                else
                {
                    throw new InvalidOperationException($"{name}: required parameter '{key}' is not given.");
                }
            }
        }

        private string ScopeId => _resourceGroup is null ? $"/subscriptions/{_subscriptionId}" : $"/subscriptions/{_subscriptionId}/resourceGroups/{_resourceGroup}";

        public IReadOnlyDictionary<string, JsonNode?> Execute()
        {
            if (_template["variables"] is JsonObject variables && variables.ContainsKey("copy"))
            {
                throw new NotSupportedException($"{_name}: variable copy loops are not simulated.");
            }

            var resources = _template["resources"] switch
            {
                JsonArray array => array.Select(r => (Symbol: (string?)null, Raw: (JsonObject)r!)).ToList(),
                JsonObject symbolic => symbolic.Select(p => (Symbol: (string?)p.Key, Raw: (JsonObject)p.Value!)).ToList(),
                null => [],
                _ => throw new NotSupportedException($"{_name}: resources is neither an array nor an object."),
            };

            // First every resource's id (names and conditions never depend on runtime values), so a
            // reference to a resource or a module declared further down resolves.
            var deploy = new List<(JsonObject Raw, Frame Frame, string Id, string Type, string Name, string Scope)>();
            foreach (var (symbol, raw) in resources)
            {
                var copy = raw["copy"] as JsonObject;
                var count = copy is null ? 1 : (int)AsLong(Evaluate(copy["count"], new Frame(null, 0)), "copy.count");
                for (var i = 0; i < count; i++)
                {
                    var frame = new Frame(copy?["name"]?.GetValue<string>(), i);
                    if (raw.TryGetPropertyValue("condition", out var condition) && !AsBool(Evaluate(condition, frame), "condition"))
                    {
                        continue;
                    }

                    var type = AsString(Evaluate(raw["type"], frame), "type");
                    var name = AsString(Evaluate(raw["name"], frame), "name");
                    var (id, scope) = IdOf(raw, frame, type, name);
                    if (symbol is not null && copy is null)
                    {
                        _symbols[symbol] = id;
                    }

                    if (raw["existing"]?.GetValue<bool>() == true)
                    {
                        continue;
                    }

                    if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
                    {
                        _world._deployments[id] = new DeclaredDeployment(() => Nested(raw, frame, name));
                    }

                    deploy.Add((raw, frame, id, type, name, scope));
                }
            }

            foreach (var (raw, frame, id, type, name, scope) in deploy)
            {
                if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
                {
                    _world.DeploymentOutputs(id);
                    _world._resources.Add(new ArmResource(id, type, name, scope, _name, new JsonObject()));
                    continue;
                }

                var body = new JsonObject();
                foreach (var (key, value) in raw)
                {
                    if (key is not ("copy" or "condition" or "dependsOn" or "existing" or "comments" or "type" or "name" or "scope"))
                    {
                        body[key] = Evaluate(value, frame);
                    }
                }

                _world._resources.Add(new ArmResource(id, type, name, scope, _name, body));
            }

            var outputs = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, output) in _template["outputs"] as JsonObject ?? [])
            {
                outputs[key] = Evaluate(output?["value"], new Frame(null, 0));
            }

            return outputs;
        }

        /// <summary>A module: its parameters evaluated here, its template at its own scope (Bicep's "inner" evaluation).</summary>
        private IReadOnlyDictionary<string, JsonNode?> Nested(JsonObject raw, Frame frame, string name)
        {
            var properties = (JsonObject)raw["properties"]!;
            if (properties["expressionEvaluationOptions"]?["scope"]?.GetValue<string>() != "inner" || properties["template"] is not JsonObject template)
            {
                throw new NotSupportedException($"{_name}: deployment {name} is not an inline template with inner scope (what Bicep modules compile to).");
            }

            var given = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, parameter) in properties["parameters"] as JsonObject ?? [])
            {
                // { "value": ... }, or an expression giving one (Bicep's form for a conditional value).
                if (Evaluate(parameter, frame) is not JsonObject p || !p.TryGetPropertyValue("value", out var value))
                {
                    throw new NotSupportedException($"{_name}: deployment {name} parameter {key} is not a value (Key Vault references are not simulated).");
                }

                given[key] = value?.DeepClone();
            }

            var subscription = raw["subscriptionId"] is { } s ? AsString(Evaluate(s, frame), "subscriptionId") : _subscriptionId;
            var group = raw["resourceGroup"] is { } g ? AsString(Evaluate(g, frame), "resourceGroup") : _resourceGroup;
            return new TemplateRun(_world, template, given, subscription, group, name).Execute();
        }

        private (string Id, string Scope) IdOf(JsonObject raw, Frame frame, string type, string name)
        {
            var names = name.Split('/');
            if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
            {
                var subscription = raw["subscriptionId"] is { } s ? AsString(Evaluate(s, frame), "subscriptionId") : _subscriptionId;
                var group = raw["resourceGroup"] is { } g ? AsString(Evaluate(g, frame), "resourceGroup") : _resourceGroup;
                var at = group is null ? $"/subscriptions/{subscription}" : $"/subscriptions/{subscription}/resourceGroups/{group}";
                return (ArmIds.Of(at, type, names), at);
            }

            if (raw["scope"] is { } scopeNode)
            {
                // An extension resource (a role assignment): on the resource its scope names, given
                // as a full id or relative to this deployment's scope.
                var scope = AsString(Evaluate(scopeNode, frame), "scope");
                scope = scope.StartsWith('/') ? scope : $"{ScopeId}/providers/{scope}";
                return (ArmIds.Of(scope, type, names), scope);
            }

            return (ArmIds.Of(ScopeId, type, names), ScopeId);
        }

        public JsonNode? Evaluate(JsonNode? node, Frame frame) => node switch
        {
            null => null,
            JsonObject o => EvaluateObject(o, frame),
            JsonArray a => new JsonArray([.. a.Select(item => Evaluate(item, frame))]),
            JsonValue v when v.TryGetValue<string>(out var text) => ArmExpression.IsExpression(text)
                ? Evaluate(ArmExpression.Parse(text), frame)
                : JsonValue.Create(ArmExpression.Unescape(text)),
            _ => node.DeepClone(),
        };

        private JsonObject EvaluateObject(JsonObject o, Frame frame)
        {
            var result = new JsonObject();
            foreach (var (key, value) in o)
            {
                var name = ArmExpression.IsExpression(key) ? AsString(Evaluate(ArmExpression.Parse(key), frame), "property name") : ArmExpression.Unescape(key);
                result[name] = Evaluate(value, frame);
            }

            return result;
        }

        private JsonNode? Evaluate(ArmExpression expression, Frame frame) => expression switch
        {
            ArmLiteral l => l.Value?.DeepClone(),
            ArmMember m => Member(Evaluate(m.Target, frame), m.Name),
            ArmIndex i => Index(Evaluate(i.Target, frame), Evaluate(i.Index, frame)),
            ArmCall c => Call(c, frame),
            _ => throw new NotSupportedException(expression.ToString()),
        };

        private JsonNode? Call(ArmCall call, Frame frame)
        {
            var name = call.Name.ToLowerInvariant();

            // Evaluated lazily, as ARM does: the branch not taken may reference a module whose condition is false.
            switch (name)
            {
                case "if":
                    return AsBool(Evaluate(call.Arguments[0], frame), "if") ? Evaluate(call.Arguments[1], frame) : Evaluate(call.Arguments[2], frame);
                case "coalesce":
                    return call.Arguments.Select(a => Evaluate(a, frame)).FirstOrDefault(v => v is not null);
                case "and":
                    return call.Arguments.All(a => AsBool(Evaluate(a, frame), "and"));
                case "or":
                    return call.Arguments.Any(a => AsBool(Evaluate(a, frame), "or"));
            }

            var args = call.Arguments.Select(a => Evaluate(a, frame)).ToList();
            return name switch
            {
                "parameters" => Parameter(AsString(args[0], name)),
                "variables" => Variable(AsString(args[0], name)),
                "null" => null,
                "true" => true,
                "false" => false,
                "not" => !AsBool(args[0], name),
                "equals" => JsonNode.DeepEquals(args[0], args[1]),
                "empty" => args[0] switch
                {
                    null => true,
                    JsonArray a => a.Count == 0,
                    JsonObject o => o.Count == 0,
                    JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
                    _ => false,
                },
                "length" => args[0] switch
                {
                    JsonArray a => a.Count,
                    JsonObject o => o.Count,
                    _ => AsString(args[0], name).Length,
                },
                "createarray" => new JsonArray([.. args]),
                "createobject" => CreateObject(args),
                "union" => args.Aggregate(Union),
                "tryget" => TryGet(args),
                "contains" => args[0] switch
                {
                    JsonArray a => a.Any(item => JsonNode.DeepEquals(item, args[1])),
                    JsonObject o => o.ContainsKey(AsString(args[1], name)),
                    _ => AsString(args[0], name).Contains(AsString(args[1], name), StringComparison.OrdinalIgnoreCase),
                },
                "format" => string.Format(CultureInfo.InvariantCulture, AsString(args[0], name), [.. args.Skip(1).Select(Clr)]),
                "concat" => args.All(a => a is JsonArray)
                    ? new JsonArray([.. args.SelectMany(a => ((JsonArray)a!).Select(item => item?.DeepClone()))])
                    : string.Concat(args.Select(a => Clr(a)?.ToString())),
                "string" => args[0] is JsonValue sv && sv.TryGetValue<string>(out var str) ? str : args[0]?.ToJsonString() ?? "",
                "tolower" => AsString(args[0], name).ToLowerInvariant(),
                "toupper" => AsString(args[0], name).ToUpperInvariant(),
                "uniquestring" => Hashes.UniqueString([.. args.Select(a => AsString(a, name))]),
                "guid" => Hashes.Guid([.. args.Select(a => AsString(a, name))]),
                "copyindex" => CopyIndex(args, frame),
                "subscription" => new JsonObject
                {
                    ["id"] = $"/subscriptions/{_subscriptionId}",
                    ["subscriptionId"] = _subscriptionId,
                    ["tenantId"] = TenantId,
                    ["displayName"] = "simulated",
                },
                "tenant" => new JsonObject { ["tenantId"] = TenantId },
                "resourcegroup" => _resourceGroup is null
                    ? throw new InvalidOperationException($"{_name}: resourceGroup() in a subscription-scope template.")
                    : new JsonObject { ["id"] = ScopeId, ["name"] = _resourceGroup, ["location"] = _world.Location, ["type"] = "Microsoft.Resources/resourceGroups" },
                "resourceid" => ResourceId(args),
                "subscriptionresourceid" => SubscriptionResourceId(args),
                "extensionresourceid" => ArmIds.Of(AsString(args[0], name), AsString(args[1], name), [.. args.Skip(2).Select(a => AsString(a, name))]),
                "tenantresourceid" => ArmIds.Of("", AsString(args[0], name), [.. args.Skip(1).Select(a => AsString(a, name))]),
                "reference" => Reference(args),
                _ => throw new NotSupportedException($"{_name}: the ARM function {call.Name}() is not simulated; add it to ArmDeployment."),
            };
        }

        private JsonNode? Parameter(string key) =>
            _parameters.TryGetValue(key, out var value) ? value?.DeepClone() : throw new InvalidOperationException($"{_name}: no parameter '{key}'.");

        private JsonNode? Variable(string key)
        {
            if (_variables.TryGetValue(key, out var known))
            {
                return known?.DeepClone();
            }

            if (_template["variables"] is not JsonObject variables || !variables.TryGetPropertyValue(key, out var definition))
            {
                throw new InvalidOperationException($"{_name}: no variable '{key}'.");
            }

            if (!_evaluatingVariables.Add(key))
            {
                throw new InvalidOperationException($"{_name}: variable '{key}' refers to itself.");
            }

            var value = Evaluate(definition, new Frame(null, 0));
            _variables[key] = value;
            _evaluatingVariables.Remove(key);
            return value?.DeepClone();
        }

        private static JsonNode? CopyIndex(List<JsonNode?> args, Frame frame)
        {
            var offset = args.Count > 0 && args[^1] is JsonValue v && v.TryGetValue<long>(out var o) ? o : 0;
            if (args.Count > 0 && args[0] is JsonValue n && n.TryGetValue<string>(out var loop) && loop != frame.CopyName)
            {
                throw new NotSupportedException($"copyIndex('{loop}') outside its own loop is not simulated.");
            }

            return frame.CopyName is null ? throw new InvalidOperationException("copyIndex() outside a copy loop.") : frame.CopyIndex + offset;
        }

        private string ResourceId(List<JsonNode?> args)
        {
            var strings = args.Select(a => AsString(a, "resourceId")).ToList();
            var typeAt = strings.FindIndex(s => s.Contains('/', StringComparison.Ordinal));
            var (subscription, group) = typeAt switch
            {
                0 => (_subscriptionId, _resourceGroup),
                1 => (_subscriptionId, strings[0]),
                2 => (strings[0], strings[1]),
                _ => throw new InvalidOperationException($"resourceId({string.Join(", ", strings)}): no resource type."),
            };
            var scope = group is null ? $"/subscriptions/{subscription}" : $"/subscriptions/{subscription}/resourceGroups/{group}";
            return ArmIds.Of(scope, strings[typeAt], strings[(typeAt + 1)..]);
        }

        private string SubscriptionResourceId(List<JsonNode?> args)
        {
            var strings = args.Select(a => AsString(a, "subscriptionResourceId")).ToList();
            var typeAt = strings.FindIndex(s => s.Contains('/', StringComparison.Ordinal));
            var subscription = typeAt == 1 ? strings[0] : _subscriptionId;
            return ArmIds.Of($"/subscriptions/{subscription}", strings[typeAt], strings[(typeAt + 1)..]);
        }

        private JsonObject Reference(List<JsonNode?> args)
        {
            if (args.Count > 2)
            {
                throw new NotSupportedException("reference(..., 'Full') is not simulated.");
            }

            var target = AsString(args[0], "reference");

            // Symbolic-name templates (languageVersion 2.0) reference their resources by symbol.
            var id = _symbols.TryGetValue(target, out var symbolId) ? symbolId : target;
            if (!id.StartsWith('/'))
            {
                throw new InvalidOperationException($"{_name}: reference('{target}') names no resource of this template.");
            }

            return _world._deployments.ContainsKey(id) ? (JsonObject)_world.DeploymentOutputs(id).DeepClone() : _world.Runtime(id);
        }

        private static JsonObject CreateObject(List<JsonNode?> args)
        {
            var result = new JsonObject();
            for (var i = 0; i + 1 < args.Count; i += 2)
            {
                result[AsString(args[i], "createObject")] = args[i + 1]?.DeepClone();
            }

            return result;
        }

        /// <summary>ARM's union: objects merged (nested objects too, the later value winning), arrays joined without duplicates.</summary>
        private static JsonNode? Union(JsonNode? left, JsonNode? right)
        {
            switch (left, right)
            {
                case (JsonObject l, JsonObject r):
                    var merged = (JsonObject)l.DeepClone();
                    foreach (var (key, value) in r)
                    {
                        merged[key] = merged[key] is JsonObject && value is JsonObject ? Union(merged[key], value) : value?.DeepClone();
                    }

                    return merged;
                case (JsonArray l, JsonArray r):
                    var joined = (JsonArray)l.DeepClone();
                    foreach (var item in r.Where(item => !joined.Any(j => JsonNode.DeepEquals(j, item))))
                    {
                        joined.Add(item?.DeepClone());
                    }

                    return joined;
                default:
                    throw new InvalidOperationException($"union() of {left?.GetValueKind()} and {right?.GetValueKind()}.");
            }
        }

        private static JsonNode? TryGet(List<JsonNode?> args)
        {
            var current = args[0];
            foreach (var key in args.Skip(1))
            {
                current = (current, key) switch
                {
                    (JsonObject o, JsonValue k) when k.TryGetValue<string>(out var s) => Property(o, s),
                    (JsonArray a, JsonValue k) when k.TryGetValue<long>(out var i) => i >= 0 && i < a.Count ? a[(int)i] : null,
                    _ => null,
                };
            }

            return current?.DeepClone();
        }

        private static JsonNode? Member(JsonNode? target, string name)
        {
            if (target is not JsonObject o)
            {
                throw new InvalidOperationException($"'.{name}' on {(target is null ? "null" : target.GetValueKind().ToString())}: the deployment would fail here.");
            }

            return o.Any(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                ? Property(o, name)?.DeepClone()
                : throw new InvalidOperationException($"'.{name}': the object has no such property (it has {string.Join(", ", o.Select(p => p.Key))}).");
        }

        private static JsonNode? Index(JsonNode? target, JsonNode? index) => (target, index) switch
        {
            (JsonArray a, JsonValue i) when i.TryGetValue<long>(out var n) && n >= 0 && n < a.Count => a[(int)n]?.DeepClone(),
            (JsonObject o, JsonValue k) when k.TryGetValue<string>(out var s) => Member(o, s),
            _ => throw new InvalidOperationException($"[{index?.ToJsonString()}] on {target?.ToJsonString() ?? "null"}: the deployment would fail here."),
        };

        /// <summary>ARM's property names are case-insensitive.</summary>
        private static JsonNode? Property(JsonObject o, string name) =>
            o.TryGetPropertyValue(name, out var exact) ? exact : o.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Where an expression is evaluated: inside a copy loop (its name and this iteration's index), or not.</summary>
    private sealed record Frame(string? CopyName, int CopyIndex);

    internal static string AsString(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidOperationException($"{what}: expected a string, got {node?.ToJsonString() ?? "null"}.");

    private static bool AsBool(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new InvalidOperationException($"{what}: expected a bool, got {node?.ToJsonString() ?? "null"}.");

    private static long AsLong(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<long>(out var n) ? n
        : node is JsonValue w && w.TryGetValue<int>(out var i) ? i
        : throw new InvalidOperationException($"{what}: expected an integer, got {node?.ToJsonString() ?? "null"}.");

    /// <summary>A value as format() and concat() print it (bools as True/False, as ARM's .NET formatting does).</summary>
    private static object? Clr(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}

/// <summary>A resource a deployment creates: its id, where it applies (the scope an extension resource such as a role assignment is on), and its evaluated body.</summary>
internal sealed record ArmResource(string Id, string Type, string Name, string Scope, string Deployment, JsonObject Body)
{
    public JsonObject Properties => Body["properties"] as JsonObject ?? [];

    public bool IsOfType(string type) => Type.Equals(type, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Resource ids as ARM writes them.</summary>
internal static class ArmIds
{
    /// <summary><c>{scope}/providers/{namespace}/{type}/{name}[/{childType}/{childName}...]</c>; resource groups as <c>/subscriptions/{id}/resourceGroups/{name}</c>.</summary>
    public static string Of(string scope, string type, IReadOnlyList<string> names)
    {
        var parts = type.Split('/');
        if (parts.Length - 1 != names.Count)
        {
            throw new InvalidOperationException($"Resource type {type} takes {parts.Length - 1} name segment(s), given {string.Join("/", names)}.");
        }

        if (type.Equals("Microsoft.Resources/resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            return $"{scope}/resourceGroups/{names[0]}";
        }

        var id = new StringBuilder($"{scope}/providers/{parts[0]}");
        for (var i = 1; i < parts.Length; i++)
        {
            id.Append('/').Append(parts[i]).Append('/').Append(names[i - 1]);
        }

        return id.ToString();
    }

    /// <summary>The type and name segments of an id (the last provider's).</summary>
    public static (string Type, IReadOnlyList<string> Names) Parse(string id)
    {
        var at = id.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            var segments = id.Trim('/').Split('/');
            return segments.Length == 4 && segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
                ? ("Microsoft.Resources/resourceGroups", [segments[3]])
                : throw new InvalidOperationException($"'{id}' is not a resource id.");
        }

        var rest = id[(at + "/providers/".Length)..].Split('/');
        var types = new List<string> { rest[0] };
        var names = new List<string>();
        for (var i = 1; i + 1 < rest.Length; i += 2)
        {
            types.Add(rest[i]);
            names.Add(rest[i + 1]);
        }

        return (string.Join('/', types), names);
    }

    /// <summary>Whether a role assigned at <paramref name="scope"/> applies to <paramref name="id"/> (the resource itself or anything under it).</summary>
    public static bool Covers(string scope, string id) =>
        id.Equals(scope, StringComparison.OrdinalIgnoreCase) || id.StartsWith(scope.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Deterministic stand-ins for ARM's uniqueString() and guid(), and for the runtime ids Azure assigns.</summary>
internal static class Hashes
{
    public static string UniqueString(params string[] parts)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return new string([.. hash.Take(13).Select(b => alphabet[b % 32])]);
    }

    public static string Guid(params string[] parts) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)))[..16]).ToString();
}
