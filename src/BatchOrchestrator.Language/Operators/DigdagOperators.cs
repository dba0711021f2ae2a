namespace BatchOrchestrator.Language.Operators;

/// <summary>
/// Digdag's operators BatchOrchestrator deliberately does not provide (vendor services), by
/// product: data for the "not provided by BatchOrchestrator" message of a check. A host that does
/// register one of these names runs it: a catalog looks its own operators up first.
/// </summary>
public static class DigdagOperators
{
    public static IReadOnlyDictionary<string, string> NotProvided { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
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
        ["ecs"] = "Amazon ECS", ["pg"] = "PostgreSQL", ["embulk"] = "Embulk",
        ["http_call"] = "Digdag's http_call (a workflow fetched over HTTP)",
    };
}
