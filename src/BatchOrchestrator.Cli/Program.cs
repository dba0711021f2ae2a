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

var secretsSet = new Option<string?>("--set") { Description = "Set a secret: key=value, or key alone to read the value from stdin (keeps it out of shell history)" };
var secretsDelete = new Option<string?>("--delete") { Description = "Delete a secret" };
var secretsList = new Option<bool>("--list") { Description = "List the project's secret names (never values)" };
var secretsState = new Option<string?>("--state") { Description = "State folder (default: <project>/.bo)" };
var secretsProject = new Option<string?>("--project") { Description = "Project folder (default: the current folder)" };
var secrets = new Command("secrets", "Manage the project's local encrypted secrets (key: $BO_SECRETS_KEY or ~/.config/batchorchestrator/secrets.key)")
{
    secretsSet, secretsDelete, secretsList, secretsState, secretsProject,
};
secrets.SetAction((parseResult, cancellationToken) =>
    new SecretsCommand(Console.In, Console.Out, Console.Error).RunAsync(
        new SecretsRequest(parseResult.GetValue(secretsSet), parseResult.GetValue(secretsDelete), parseResult.GetValue(secretsList), parseResult.GetValue(secretsState), parseResult.GetValue(secretsProject)),
        BatchOrchestrator.Storage.Files.SecretKeySource.FromEnvironment(),
        cancellationToken));
root.Subcommands.Add(secrets);

return await root.Parse(args).InvokeAsync();
