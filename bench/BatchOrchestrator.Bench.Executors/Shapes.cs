namespace BatchOrchestrator.Bench.Executors;

/// <summary>One command of a shape: its name (make's target, the task's name) and its shell text.</summary>
internal sealed record BenchCommand(string Name, string Script);

/// <summary>Commands run at most <paramref name="Parallel"/> at a time; a stage starts once the one before it has finished.</summary>
internal sealed record Stage(IReadOnlyList<BenchCommand> Commands, int Parallel);

/// <summary>A set of commands and their order, the same for every runner: stage after stage.</summary>
internal sealed record Shape(string Name, IReadOnlyList<Stage> Stages)
{
    public int Count => Stages.Sum(s => s.Commands.Count);

    /// <summary><paramref name="count"/> independent commands, <paramref name="parallel"/> at a time.</summary>
    public static Shape Independent(string name, int count, int parallel, Func<int, string> script) =>
        new(name, [new Stage([.. Enumerable.Range(0, count).Select(i => new BenchCommand($"t{i}", script(i)))], parallel)]);

    /// <summary>The chain of ../shared/bench/gen_dags.py: <paramref name="count"/> commands, each after the one before.</summary>
    public static Shape Chain(int count) =>
        new("chain", [.. Enumerable.Range(1, count).Select(i => new Stage([Touch($"t{i}")], 1))]);

    /// <summary>The fan-out of gen_dags.py: start, then <paramref name="count"/> commands <paramref name="parallel"/> at a time, then join.</summary>
    public static Shape FanOut(int count, int parallel) =>
        new("fan-out", [
            new Stage([Touch("start")], 1),
            new Stage([.. Enumerable.Range(1, count).Select(i => Touch($"m{i}"))], parallel),
            new Stage([Touch("join")], 1)]);

    /// <summary>gen_dags.py's command: `true &amp;&amp; touch out/NAME`.</summary>
    private static BenchCommand Touch(string name) => new(name, $"true && touch out/{name}");
}
