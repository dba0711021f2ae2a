using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// A template could not be evaluated because of what the user wrote. <see cref="Exception.Message"/> is
/// written for the user: it quotes the expression, says what was wrong and what was expected. Hosts
/// print it without a stack trace.
/// </summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> must already be user-ready.</summary>
    public TemplateException(TemplateErrorKind kind, string message, string template, string? expression = null, string? variable = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Template = template;
        Expression = expression;
        Variable = variable;
    }

    /// <summary>What went wrong.</summary>
    public TemplateErrorKind Kind { get; }

    /// <summary>The whole string being rendered.</summary>
    public string Template { get; }

    /// <summary>The failing <c>${...}</c> as written, when one expression is at fault.</summary>
    public string? Expression { get; }

    /// <summary>The undefined variable, for <see cref="TemplateErrorKind.UndefinedVariable"/>.</summary>
    public string? Variable { get; }

    /// <summary>The error as a diagnostic at the position of the value that holds the template.</summary>
    public Diagnostic ToDiagnostic(SourceLocation location) => new(location, Message);
}
