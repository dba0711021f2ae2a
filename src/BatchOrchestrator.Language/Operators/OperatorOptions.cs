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

/// <summary>Which bodies an operator reads (they are not template-evaluated before it runs).</summary>
public enum OperatorBody
{
    /// <summary>Neither <c>_do</c> nor <c>_else_do</c> (an error on its task).</summary>
    None,

    /// <summary><c>_do</c>, required (loop&gt;, for_each&gt;, for_range&gt;).</summary>
    Do,

    /// <summary><c>_do</c> and/or <c>_else_do</c> (if&gt;).</summary>
    DoAndElse,
}
