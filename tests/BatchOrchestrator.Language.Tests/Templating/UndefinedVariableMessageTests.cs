using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Templating;

/// <summary>How the run words an undefined variable: one sentence ending once, with or without a hint.</summary>
[TestClass]
public sealed class UndefinedVariableMessageTests
{
    [TestMethod]
    [DataRow("${param5}", "which is not defined; did you mean 'param4'? Define it")]
    [DataRow("${other}", "which is not defined. Define it")]
    public void The_message_ends_its_sentence_once(string template, string expected)
    {
        var error = Assert.ThrowsExactly<TemplateException>(() => new TemplateEngine().Render(template, ParamSet.Parse("""{"param4": 1}""")));

        StringAssert.Contains(error.Message, expected);
        Assert.DoesNotContain("?.", error.Message);
    }
}
