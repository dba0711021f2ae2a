using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Templating;

[TestClass]
public sealed class TemplateTextTests
{
    [TestMethod]
    [DataRow("${n}", true)]
    [DataRow("3 ${n} times", true)]
    [DataRow("${secret:token}", true)]
    [DataRow("abc", false)]
    [DataRow("$${n}", false)]
    [DataRow("costs $5", false)]
    [DataRow("${unterminated", false)]
    [DataRow("", false)]
    public void Contains_template_tells_literal_values_from_templates(string text, bool expected)
    {
        Assert.AreEqual(expected, TemplateText.ContainsTemplate(text));
    }

    [TestMethod]
    public void Secret_keys_are_listed_in_order_without_duplicates()
    {
        var keys = TemplateText.SecretKeys("curl -u ${secret:http.user}:${secret:http.password} ${url} ${secret:http.user}");
        CollectionAssert.AreEqual(new[] { "http.user", "http.password" }, keys.ToArray());
        Assert.IsEmpty(TemplateText.SecretKeys("${x}"));
    }

    [TestMethod]
    public void Braces_inside_javascript_strings_do_not_end_the_expression()
    {
        var parsed = TemplateText.Parse("a${'}' + \"{\"}b");
        Assert.HasCount(3, parsed.Segments);
        Assert.AreEqual("'}' + \"{\"", ((ExpressionSegment)parsed.Segments[1]).Code);
    }

    [TestMethod]
    public void Nested_braces_belong_to_the_expression()
    {
        var parsed = TemplateText.Parse("${ {a: 1}.a }");
        Assert.AreEqual(" {a: 1}.a ", ((ExpressionSegment)parsed.Segments.Single()).Code);
    }

    [TestMethod]
    public void An_unterminated_template_stays_literal_and_is_reported()
    {
        var parsed = TemplateText.Parse("echo ${oops");
        Assert.AreEqual(5, parsed.UnterminatedAt);
        Assert.AreEqual("echo ${oops", ((LiteralSegment)parsed.Segments.Single()).Text);
    }
}
