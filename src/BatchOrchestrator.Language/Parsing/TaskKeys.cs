namespace BatchOrchestrator.Language.Parsing;

/// <summary>The reserved keys of a task, for validation and "did you mean" hints.</summary>
internal static class TaskKeys
{
    public const string Type = "_type";
    public const string Command = "_command";
    public const string Export = "_export";
    public const string Parallel = "_parallel";
    public const string Background = "_background";
    public const string After = "_after";
    public const string Error = "_error";
    public const string Check = "_check";
    public const string Retry = "_retry";
    public const string Do = "_do";
    public const string ElseDo = "_else_do";
    public const string Env = "_env";
    public const string Secrets = "_secrets";
    public const string Disable = "_disable";

    public const string Timezone = "timezone";
    public const string Schedule = "schedule";
    public const string Sla = "sla";

    public static readonly string[] Directives =
        [Type, Command, Export, Parallel, Background, After, Error, Check, Retry, Do, ElseDo, Env, Secrets, Disable];

    public static readonly string[] RetryKeys = ["limit", "interval", "interval_type", "max_interval"];

    public static readonly string[] SlaKeys = ["time", "duration", "fail", "alert"];
}
