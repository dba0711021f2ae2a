using BatchOrchestrator.Engine.Stores;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BatchOrchestrator.Cli.Output;

/// <summary>
/// Progress as a live task tree redrawn in place (Spectre.Console), for a terminal; the lines the
/// tasks write scroll above it (Spectre moves the live table down under what is written meanwhile).
/// </summary>
public sealed class LiveProgressDisplay(IAnsiConsole console) : IProgressDisplay
{
    public async Task ShowAsync(Func<Action<AttemptProgress>, Task> watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        await console.Live(new Text("starting..."))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context => await watch(progress =>
            {
                foreach (var line in progress.Output)
                {
                    console.Write(new Text($"{line.TaskName}: {line.Text}\n"));
                }

                context.UpdateTarget(Render(progress));
                context.Refresh();
            }));
    }

    private static IRenderable Render(AttemptProgress progress)
    {
        var table = new Table().Border(TableBorder.Simple).Expand();
        table.AddColumn("task");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("tries").RightAligned());
        table.AddColumn(new TableColumn("time").RightAligned());
        table.AddColumn("note");
        foreach (var row in TaskTreeRows.Build(progress.Tasks))
        {
            var task = row.Record;
            var reused = progress.IsReused(task);
            table.AddRow(
                new Markup(Markup.Escape(row.Label)),
                new Markup($"[{Color(task.State, reused)}]{(reused ? "skipped" : TaskStates.Name(task.State))}[/]"),
                new Text(task.Tries > 0 ? task.Tries.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty),
                new Text(reused ? string.Empty : Durations.Of(task, progress.Now)),
                new Markup($"[grey]{Markup.Escape(TaskStates.Whole(TaskStates.ErrorOf(task), string.Empty))}[/]"));
        }

        return table;
    }

    private static string Color(TaskState state, bool reused) => reused ? "grey" : state switch
    {
        TaskState.Success => "green",
        TaskState.Error or TaskState.GroupError => "red",
        TaskState.Running => "yellow",
        TaskState.RetryWaiting or TaskState.GroupRetryWaiting => "darkorange",
        _ => "grey",
    };
}
