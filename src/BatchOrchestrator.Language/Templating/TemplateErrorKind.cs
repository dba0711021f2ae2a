namespace BatchOrchestrator.Language.Templating;

/// <summary>Why a template failed; every kind is a user error, not a crash of the host.</summary>
public enum TemplateErrorKind
{
    /// <summary>The text in <c>${...}</c> is not a single valid JavaScript (ES5) expression.</summary>
    Syntax,

    /// <summary>The expression uses a variable that no param defines.</summary>
    UndefinedVariable,

    /// <summary>The expression threw (TypeError, a <c>throw</c>, ...) or produced a value with no text form.</summary>
    ScriptError,

    /// <summary>The expression ran past a limit: statements, call depth, array length, memory, regex time or CPU time.</summary>
    LimitExceeded,

    /// <summary>Params refer to each other in a cycle (<c>a: ${b}</c>, <c>b: ${a}</c>).</summary>
    Cycle,
}
