namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// One file's tree with the sizes the reader needs to keep the whole workflow within
/// <see cref="YamlLimits"/> once included files are spliced in: a limit checked per file alone
/// would let a chain of includes nest or repeat without bound.
/// </summary>
/// <param name="Root">The document's root value.</param>
/// <param name="Depth">The deepest nesting of mappings and lists (0 for a lone scalar).</param>
/// <param name="Nodes">Values in the document, counting every alias expansion.</param>
/// <param name="HasIncludes">Whether an <c>!include</c> tag occurs; when not, the reader need not walk the tree.</param>
internal sealed record ParsedYaml(ConfigNode Root, int Depth, long Nodes, bool HasIncludes);
