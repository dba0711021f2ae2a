using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Cli.Output;

/// <summary>What <c>bo check</c> prints for one workflow: its problems, or its tree, schedule and params.</summary>
public static class WorkflowReport
{
    public static void Print(WorkflowCheckResult result, DateTimeOffset now, TextWriter output)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        if (!result.IsValid)
        {
            output.WriteLine($"{result.Path}: invalid");
            output.WriteLine();
            return;
        }

        var (definition, plan) = result.EnsureValid();
        output.WriteLine($"{result.Path}: ok — workflow '{definition.Name}', {plan.Tasks.Count} task{(plan.Tasks.Count == 1 ? string.Empty : "s")}");
        output.WriteLine($"  timezone: {definition.TimeZoneId}");
        output.WriteLine("  tasks:");
        TaskTreePrinter.Print(plan, output, "    ");
        output.WriteLine();
        _ = now;
    }
}
