namespace BatchOrchestrator.Language.Operators;

/// <summary>The shape an operator option's value must have (a <c>${...}</c> template is always accepted: it is decided at run time).</summary>
public enum OptionType
{
    /// <summary>Any value (http&gt; content: text, or a mapping sent as JSON or a form).</summary>
    Any,
    String,
    Boolean,
    Integer,

    /// <summary>Seconds (<c>30</c>, <c>0.5</c>) or a duration (<c>2m</c>).</summary>
    Duration,
    Mapping,

    /// <summary>A list, or a mapping of names to values (http&gt; headers and query).</summary>
    Pairs,

    /// <summary>One string or a list of strings (mail&gt; addresses, sh&gt; shell).</summary>
    StringOrList,

    /// <summary>A URL, a list of URLs, or (webhook) a mapping with url and headers.</summary>
    Targets,

    /// <summary>A list of mappings (mail&gt; attach_files).</summary>
    MappingList,
}

/// <summary>One option: its name, its type, whether the task must give it, and the values it may take.</summary>
public sealed record OptionSpec(string Name, OptionType Type, bool Required = false, IReadOnlyList<string>? Values = null);

/// <summary>
/// The options an operator reads. With <see cref="PassesParams"/> its other keys are legitimate
/// params it hands on (sh&gt;'s environment, py&gt;'s arguments, a body template, a called workflow),
/// so only a near-miss of a known option is reported (as a warning); otherwise any other key is an
/// error unless a template of the task reads it.
/// </summary>
public sealed record OperatorOptions(string Operator, IReadOnlyList<OptionSpec> Options, bool PassesParams)
{
    /// <summary>Read by the engine for every operator task: the try's time limit.</summary>
    public static OptionSpec Timeout { get; } = new("timeout", OptionType.Duration);

    public OptionSpec? Find(string name) => Options.FirstOrDefault(o => o.Name == name) ?? (name == Timeout.Name ? Timeout : null);

    public IEnumerable<string> Names => Options.Select(o => o.Name).Append(Timeout.Name);

    /// <summary>
    /// The built-in operators' options (Digdag's, and ours where LANGUAGE.md says so). Operators
    /// not listed here (a teammate's or a third party's) are not checked.
    /// </summary>
    public static IReadOnlyDictionary<string, OperatorOptions> BuiltIn { get; } = new OperatorOptions[]
    {
        new("echo", [], PassesParams: false),
        new("fail", [], PassesParams: false),
        new("wait", [new("blocking", OptionType.Boolean), new("poll_interval", OptionType.Duration)], PassesParams: false),
        new("call", [], PassesParams: true),
        new("require", [
            new("session_time", OptionType.String), new("project_name", OptionType.String), new("project_id", OptionType.Integer),
            new("rerun_on", OptionType.String, Values: ["none", "failed", "all"]), new("ignore_failure", OptionType.Boolean),
            new("params", OptionType.Mapping), new("retry_attempt_name", OptionType.String),
        ], PassesParams: false),
        new("loop", [], PassesParams: true),
        new("for_each", [], PassesParams: true),
        new("for_range", [], PassesParams: true),
        new("if", [], PassesParams: true),
        new("sh", [new("shell", OptionType.StringOrList), new("container", OptionType.Mapping)], PassesParams: true),
        new("py", [new("python", OptionType.StringOrList), new("container", OptionType.Mapping)], PassesParams: true),
        new("http", [
            new("method", OptionType.String), new("content", OptionType.Any), new("content_format", OptionType.String, Values: ["text", "json", "form"]),
            new("content_type", OptionType.String), new("store_content", OptionType.Boolean), new("headers", OptionType.Pairs),
            new("query", OptionType.Pairs), new("retry", OptionType.Boolean),
        ], PassesParams: false),
        new("mail", [
            new("subject", OptionType.String, Required: true), new("to", OptionType.StringOrList, Required: true),
            new("cc", OptionType.StringOrList), new("bcc", OptionType.StringOrList), new("from", OptionType.String, Required: true),
            new("html", OptionType.Boolean), new("attach_files", OptionType.MappingList), new("body", OptionType.String),
            new("host", OptionType.String), new("port", OptionType.Integer), new("username", OptionType.String),
            new("tls", OptionType.Boolean), new("ssl", OptionType.Boolean), new("debug", OptionType.Boolean),
            new("connect_timeout", OptionType.Duration), new("socket_timeout", OptionType.Duration),
        ], PassesParams: true),
        new("notify", [
            new("slack", OptionType.Targets), new("teams", OptionType.Targets), new("webhook", OptionType.Targets),
            new("title", OptionType.String), new("events", OptionType.StringOrList, Values: ["failure", "success"]),
        ], PassesParams: false),
        new("param_get", [], PassesParams: false),
        new("param_set", [], PassesParams: false),
    }.ToDictionary(o => o.Operator, StringComparer.Ordinal);
}
