namespace BatchOrchestrator.Language.Parsing;

/// <summary>What the checker needs to know about <c>${...}</c> without evaluating anything.</summary>
internal static class TemplateSyntax
{
    /// <summary>True when the text holds a <c>${...}</c> that is evaluated (not escaped as <c>$${</c>).</summary>
    public static bool ContainsTemplate(string text)
    {
        for (var i = text.IndexOf("${", StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 2, StringComparison.Ordinal))
        {
            if (i == 0 || text[i - 1] != '$')
            {
                return true;
            }
        }

        return false;
    }
}
