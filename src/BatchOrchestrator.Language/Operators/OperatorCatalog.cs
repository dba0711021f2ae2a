namespace BatchOrchestrator.Language.Operators;

/// <summary>Where an operator runs: inside the orchestrator (pure control flow) or as an activity.</summary>
public enum OperatorKind
{
    /// <summary>Evaluated by the orchestrator deterministically (call>, loop>, if>, ...).</summary>
    Control,

    /// <summary>A side effect, run as an activity (sh>, py>, http>, ...).</summary>
    Work,
}

/// <summary>What <c>bo check</c> knows about one operator name.</summary>
public sealed record OperatorInfo(string Name, OperatorKind Kind, string Summary);

/// <summary>
/// The operators BatchOrchestrator provides, and the Digdag ones it deliberately does not, so a
/// check can tell "not supported by BatchOrchestrator" (a vendor operator) from a typo.
/// </summary>
public sealed class OperatorCatalog
{
    private readonly Dictionary<string, OperatorInfo> _supported;
    private readonly Dictionary<string, string> _unsupported;

    public OperatorCatalog(IEnumerable<OperatorInfo> supported, IReadOnlyDictionary<string, string> unsupported)
    {
        _supported = supported.ToDictionary(o => o.Name, StringComparer.Ordinal);
        _unsupported = new Dictionary<string, string>(unsupported, StringComparer.Ordinal);
    }

    /// <summary>The operators of LANGUAGE.md, and Digdag's vendor operators as unsupported.</summary>
    public static OperatorCatalog Default { get; } = new(
        [
            new("call", OperatorKind.Control, "runs another workflow of the project as a subtask"),
            new("require", OperatorKind.Control, "starts or waits for another workflow's session"),
            new("loop", OperatorKind.Control, "repeats _do N times"),
            new("for_each", OperatorKind.Control, "repeats _do for every combination of values"),
            new("for_range", OperatorKind.Control, "repeats _do over a numeric range"),
            new("if", OperatorKind.Control, "runs _do or _else_do"),
            new("fail", OperatorKind.Control, "fails the task with a message"),
            new("echo", OperatorKind.Control, "prints a message"),
            new("wait", OperatorKind.Control, "waits for a duration"),
            new("sh", OperatorKind.Work, "runs a shell script"),
            new("py", OperatorKind.Work, "runs a Python method or script"),
            new("http", OperatorKind.Work, "calls an HTTP endpoint"),
            new("mail", OperatorKind.Work, "sends an email"),
            new("param_get", OperatorKind.Work, "reads persistent params"),
            new("param_set", OperatorKind.Work, "writes persistent params"),
            new("notify", OperatorKind.Work, "posts a notification to Slack, Teams or a webhook"),
            new("blob_wait", OperatorKind.Work, "waits for an Azure blob to appear"),
            new("blob", OperatorKind.Work, "copies or deletes Azure blobs"),
        ],
        new Dictionary<string, string>
        {
            ["td"] = "Treasure Data", ["td_run"] = "Treasure Data", ["td_ddl"] = "Treasure Data",
            ["td_load"] = "Treasure Data", ["td_for_each"] = "Treasure Data", ["td_wait"] = "Treasure Data",
            ["td_wait_table"] = "Treasure Data", ["td_partial_delete"] = "Treasure Data",
            ["td_table_export"] = "Treasure Data", ["td_result_export"] = "Treasure Data",
            ["bq"] = "BigQuery", ["bq_ddl"] = "BigQuery", ["bq_extract"] = "BigQuery", ["bq_load"] = "BigQuery",
            ["gcs_wait"] = "Google Cloud Storage",
            ["emr"] = "Amazon EMR", ["s3_wait"] = "Amazon S3",
            ["redshift"] = "Amazon Redshift", ["redshift_load"] = "Amazon Redshift", ["redshift_unload"] = "Amazon Redshift",
            ["athena.query"] = "Amazon Athena", ["athena.ctas"] = "Amazon Athena", ["athena.add_partition"] = "Amazon Athena",
            ["athena.drop_partition"] = "Amazon Athena", ["athena.apply"] = "Amazon Athena",
            ["ecs"] = "Amazon ECS", ["pg"] = "PostgreSQL", ["rb"] = "Ruby", ["embulk"] = "Embulk",
            ["http_call"] = "Digdag's http_call (a workflow fetched over HTTP)",
        });

    public IEnumerable<string> SupportedNames => _supported.Keys;

    public OperatorInfo? Find(string name) => _supported.GetValueOrDefault(name);

    /// <summary>The product of a Digdag operator BatchOrchestrator does not provide, or null.</summary>
    public string? UnsupportedVendor(string name) => _unsupported.GetValueOrDefault(name);
}
