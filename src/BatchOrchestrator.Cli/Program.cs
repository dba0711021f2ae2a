using System.CommandLine;
using BatchOrchestrator.Cli.Commands;

var root = new RootCommand("bo — BatchOrchestrator: Digdag-language batch workflows, run durably locally or on Azure");

var checkPaths = new Argument<string[]>("paths")
{
    Description = "Workflow files (.dig) or project folders (default: the current folder)",
    Arity = ArgumentArity.ZeroOrMore,
};
var check = new Command("check", "Validate workflows and show their task tree, schedule and params") { checkPaths };
check.SetAction((parseResult, cancellationToken) =>
    new CheckCommand(Console.Out, Console.Error)
        .RunAsync(parseResult.GetValue(checkPaths) ?? [], DateTimeOffset.UtcNow, cancellationToken));
root.Subcommands.Add(check);

return await root.Parse(args).InvokeAsync();
