using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;
using BitFaster.Caching.Lru;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Compiles, in orchestrator code, the workflow files the <see cref="ActivityNames.LoadWorkflow"/>
/// activity hands over. A plan is a pure function of those files, so plans are cached by a hash of
/// them: every replay, and every orchestration of the same files, gets the same plan — as long as
/// the plan is among the <see cref="MaxPlans"/> used last.
/// </summary>
public sealed class WorkflowCompiler(TemplateEngine templates, IOperatorCatalog operators)
{
    /// <summary>
    /// How many plans are kept. A long-lived server compiles every revision of every workflow it
    /// runs, so an unbounded cache only grows; what it saves is a compile for the orchestrations of
    /// workflows running now — replays, the parts of a split group (hundreds of orchestrations of
    /// one source), several sessions of one workflow — and a server runs far fewer distinct
    /// workflows at once than this. A running orchestration holds its own plan, so an evicted plan
    /// costs one compile when it is needed again, never a wrong result.
    /// </summary>
    internal const int MaxPlans = 64;

    // Least recently used first out (BitFaster's pseudo-LRU: a plan hit again is kept over one that is not).
    private readonly FastConcurrentLru<string, (WorkflowDefinition Definition, TaskPlan Plan)> _compiled = new(MaxPlans);

    // A host may hand every part of a large group the same source object (the embedded runtime
    // does): its hash is then worked out once, not once per part over the whole source.
    private readonly ConditionalWeakTable<WorkflowSource, string> _hashes = [];

    /// <summary>The compiled workflow; throws a WorkflowLanguageException when it cannot run.</summary>
    public async Task<LoadedWorkflow> CompileAsync(WorkflowSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Errors.Count > 0)
        {
            throw new WorkflowLanguageException(source.Errors);
        }

        var key = _hashes.GetValue(source, ContentHash);
        if (!_compiled.TryGet(key, out var compiled))
        {
            // The files are in memory: every await inside completes at once, on this thread.
            var result = await new WorkflowLoader(new SourceFiles(source), operators, templates: templates).LoadAsync(source.Path, CancellationToken.None);
            compiled = _compiled.GetOrAdd(key, static (_, valid) => valid, result.EnsureValid());
        }

        return new LoadedWorkflow(compiled.Definition, compiled.Plan, source.WorkingDirectory);
    }

    /// <summary>
    /// Keeps a workflow that the <see cref="ActivityNames.LoadWorkflow"/> activity of this process
    /// has just read and checked against <paramref name="catalog"/>: checking compiles it, so
    /// compiling the same files again finds that plan instead of building a second one (for a
    /// 10,000-task workflow the two were 12 % of its run's CPU, and two trees in memory). Only a
    /// workflow checked against this compiler's own operators is kept; anything else is compiled here.
    /// </summary>
    public void Remember(WorkflowSource source, WorkflowCheckResult checkedResult, IOperatorCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checkedResult);
        if (ReferenceEquals(catalog, operators) && source.Errors.Count == 0 && checkedResult.IsValid)
        {
            _compiled.GetOrAdd(_hashes.GetValue(source, ContentHash), static (_, valid) => valid, checkedResult.EnsureValid());
        }
    }

    /// <summary>How many plans the cache holds now (at most <see cref="MaxPlans"/>).</summary>
    internal int CachedPlans => _compiled.Count;

    /// <summary>Of everything compiling reads (the working directory is not compiled, so two folders of the same files share a plan).</summary>
    private static string ContentHash(WorkflowSource source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        Add(source.Path);
        foreach (var file in source.Files)
        {
            Add(file.Path);
            Add(file.Text);
        }

        foreach (var target in source.CallTargets)
        {
            Add(target);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The files of a <see cref="WorkflowSource"/>, resolved as within its revision.</summary>
    private sealed class SourceFiles : IWorkflowFiles
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
        private readonly HashSet<string> _callTargets;

        public SourceFiles(WorkflowSource source)
        {
            foreach (var file in source.Files)
            {
                _files[RevisionPaths.Normalize(file.Path)] = Encoding.UTF8.GetBytes(file.Text);
            }

            _callTargets = source.CallTargets.Select(RevisionPaths.Normalize).ToHashSet(StringComparer.Ordinal);
        }

        // Of a call> target only its existence is asked: any size will do.
        public Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken)
        {
            var normalized = RevisionPaths.Normalize(path);
            return Task.FromResult<long?>(_files.TryGetValue(normalized, out var content) ? content.Length : _callTargets.Contains(normalized) ? 0 : null);
        }

        public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) =>
            _files.TryGetValue(RevisionPaths.Normalize(path), out var content)
                ? Task.FromResult(content)
                : throw new InvalidOperationException($"LoadWorkflow did not hand over {path}: the activity and this compile disagree on what the workflow reads");

        public string ResolveRelative(string fromFile, string relativePath) => RevisionPaths.ResolveRelative(fromFile, relativePath);
    }
}
