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
        PrintSchedule(definition, now, output);
        PrintParams(result, output);
        output.WriteLine("  tasks:");
        TaskTreePrinter.Print(plan, output, "    ");
        output.WriteLine();
    }

    private static void PrintParams(WorkflowCheckResult result, TextWriter output)
    {
        output.WriteLine(result.ParamsUsed.Count == 0 ? "  params used: none" : $"  params used: {string.Join(", ", result.ParamsUsed)}");
        if (result.ParamsFromOutside.Count > 0)
        {
            output.WriteLine($"    not set by the workflow (give them with -p name=value, or store them in an earlier task): {string.Join(", ", result.ParamsFromOutside)}");
        }
    }

    private static void PrintSchedule(Language.Model.WorkflowDefinition definition, DateTimeOffset now, TextWriter output)
    {
        if (definition.ZonedSchedule is not { } schedule)
        {
            output.WriteLine("  schedule: none (runs when started)");
            return;
        }

        output.WriteLine($"  schedule: {schedule.Describe()}");
        var upcoming = schedule.GetUpcoming(now, 3);
        if (upcoming.Count == 0)
        {
            output.WriteLine("    no more sessions (the schedule's end date has passed)");
        }

        foreach (var time in upcoming)
        {
            output.WriteLine($"    next session {time.SessionTime:yyyy-MM-dd HH:mm:ss zzz}, runs at {time.RunTime:yyyy-MM-dd HH:mm:ss zzz}");
        }
    }
}
