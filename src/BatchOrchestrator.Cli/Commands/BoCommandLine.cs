using System.CommandLine;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>The <c>bo</c> command line: every command, its arguments and options, bound to the command classes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class BoCommandLine
{
    public static RootCommand Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand("bo — BatchOrchestrator: Digdag-language batch workflows, run durably locally or on Azure");
        root.Subcommands.Add(Check(context));
        root.Subcommands.Add(Run(context));
        root.Subcommands.Add(Start(context));
        root.Subcommands.Add(Sessions(context));
        root.Subcommands.Add(Attempts(context));
        root.Subcommands.Add(Tasks(context));
        root.Subcommands.Add(Log(context));
        root.Subcommands.Add(Retry(context));
        root.Subcommands.Add(Kill(context));
        root.Subcommands.Add(Secrets(context));
        root.Subcommands.Add(Server(context));
        root.Subcommands.Add(Schedules(context));
        root.Subcommands.Add(Backfill(context));
        root.Subcommands.Add(Init(context));
        root.Subcommands.Add(Push(context));
        root.Subcommands.Add(Workflows(context));
        root.Subcommands.Add(Download(context));
        root.Subcommands.Add(Delete(context));
        root.Subcommands.Add(Version(context));
        return root;
    }

    private static Command Check(CliContext context)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Workflow files (.dig) or project folders (default: the current folder)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("check", "Validate workflows and show their task tree, schedule and params") { paths };
        command.SetAction((result, cancellationToken) =>
            new CheckCommand(context.Output, context.Error, context.CreateOperators()).RunAsync(result.GetValue(paths) ?? [], context.Now, cancellationToken));
        return command;
    }

    private static Command Run(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The workflow file (.dig); its folder is the project" };
        var only = new Argument<string?>("task") { Description = "Run only this task (and its children), e.g. +load", Arity = ArgumentArity.ZeroOrOne };
        var start = new Option<string?>("--start") { Description = "Run from this task to the end, e.g. --start +load" };
        var goal = new Option<string?>("--goal") { Description = "Run up to this task, e.g. --goal +aggregate" };
        var session = new Option<string>("--session")
        {
            Description = "Session time: daily, hourly, now, YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\" in the workflow's time zone " +
                "(default: the schedule's last session, or today 00:00)",
        };
        var parameters = Params();
        var paramsFile = ParamsFile();
        var rerun = new Option<bool>("--rerun") { Description = "Run a session that already succeeded again, every task" };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "How many task activities run at once (like Digdag's --max-task-threads; default: twice the cores, at least 4). A command that runs longer than one poll (3 s) keeps running between its polls" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the workflow and show the session it would run, without running anything" };
        var state = State();
        var quiet = Quiet();
        var command = new Command("run", "Run a workflow locally; running the same session again skips the tasks that succeeded")
        {
            file, only, session, parameters, paramsFile, rerun, start, goal, maxParallel, dryRun, quiet, state,
        };
        command.SetAction((result, cancellationToken) => new RunCommand(context).RunAsync(
            new RunOptions(result.GetRequiredValue(file))
            {
                Session = result.GetValue(session),
                Params = result.GetValue(parameters) ?? [],
                ParamsFile = result.GetValue(paramsFile),
                Rerun = result.GetValue(rerun),
                StateDirectory = result.GetValue(state),
                MaxParallel = result.GetValue(maxParallel),
                OnlyTask = result.GetValue(only),
                StartTask = result.GetValue(start),
                GoalTask = result.GetValue(goal),
                DryRun = result.GetValue(dryRun),
                Quiet = result.GetValue(quiet),
            },
            cancellationToken));
        return command;
    }

    private static Option<bool> Quiet() =>
        new("--quiet", "-q") { Description = "Do not print the tasks' output as it comes (the states and the summary only)" };

    private static Command Start(CliContext context)
    {
        var target = new Argument<string>("target") { Description = "The workflow file (.dig) locally; the project name on a server (-e)" };
        var workflow = new Argument<string?>("workflow") { Description = "On a server: the workflow's name", Arity = ArgumentArity.ZeroOrOne };
        var session = new Option<string>("--session")
        {
            Description = "Session time: daily, hourly, now, YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\" in the workflow's time zone (default: the schedule's last session, or today 00:00)",
        };
        var (parameters, paramsFile, state, endpoint, token) = (Params(), ParamsFile(), State(), Endpoint(), Token());
        var command = new Command("start", "Start a session without waiting for it (on a server with -e)") { target, workflow, session, parameters, paramsFile, state, endpoint, token };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new StartOptions(result.GetRequiredValue(target), result.GetValue(workflow))
            {
                Session = result.GetValue(session),
                Params = result.GetValue(parameters) ?? [],
                ParamsFile = result.GetValue(paramsFile),
                StateDirectory = result.GetValue(state),
            };
            var remote = new RemoteCommands(context);
            return result.GetValue(endpoint) is { } url
                ? remote.RunAsync(url, result.GetValue(token), client => remote.StartAsync(
                    client, options.Target, options.Workflow ?? throw new UserError("on a server, `bo start` takes a project and a workflow: bo start -e URL <project> <workflow>", 2), options.Session, options.Params, options.ParamsFile, cancellationToken))
                : new StartCommand(context).RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static Command Sessions(CliContext context)
    {
        var (project, state) = (Project(), State());
        var folder = new Argument<string?>("project-folder") { Description = "The project folder (default: the current folder)", Arity = ArgumentArity.ZeroOrOne };
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("sessions", "List the sessions run in this project (or on a server), newest first") { folder, project, state, endpoint, token };
        command.SetAction((result, cancellationToken) => new SessionsCommand(context).RunAsync(
            new StateOptions(result.GetValue(folder) ?? result.GetValue(project), result.GetValue(state)) { Endpoint = result.GetValue(endpoint), Token = result.GetValue(token) }, cancellationToken));
        return command;
    }

    private static Command Attempts(CliContext context)
    {
        var (project, state) = (Project(), State());
        var session = new Argument<string?>("session") { Description = "A session id (or a unique part of it); every session when omitted", Arity = ArgumentArity.ZeroOrOne };
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("attempts", "List the attempts of a session, or of every session") { session, project, state, endpoint, token };
        command.SetAction((result, cancellationToken) => new AttemptsCommand(context).RunAsync(
            result.GetValue(session), new StateOptions(result.GetValue(project), result.GetValue(state)) { Endpoint = result.GetValue(endpoint), Token = result.GetValue(token) }, cancellationToken));
        return command;
    }

    private static Command Tasks(CliContext context)
    {
        var (project, state, attempt) = (Project(), State(), AttemptArgument());
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("tasks", "Show an attempt's task tree: states, tries, times, errors") { attempt, project, state, endpoint, token };
        command.SetAction((result, cancellationToken) => new TasksCommand(context).RunAsync(
            result.GetRequiredValue(attempt), new StateOptions(result.GetValue(project), result.GetValue(state)) { Endpoint = result.GetValue(endpoint), Token = result.GetValue(token) }, cancellationToken));
        return command;
    }

    private static Command Log(CliContext context)
    {
        var (project, state, attempt) = (Project(), State(), AttemptArgument());
        var task = new Argument<string?>("task") { Description = "Only this task (+name or full name) and the tasks under it", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the attempt ends" };
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("log", "Print the logs of an attempt's tasks") { attempt, task, follow, project, state, endpoint, token };
        command.SetAction((result, cancellationToken) => new LogCommand(context).RunAsync(
            result.GetRequiredValue(attempt), result.GetValue(task), result.GetValue(follow),
            new StateOptions(result.GetValue(project), result.GetValue(state)) { Endpoint = result.GetValue(endpoint), Token = result.GetValue(token) }, cancellationToken));
        return command;
    }

    private static Command Retry(CliContext context)
    {
        var (project, state, attempt) = (Project(), State(), AttemptArgument());
        var failed = new Option<bool>("--failed") { Description = "Run the tasks that did not succeed; reuse the others with their params" };
        var all = new Option<bool>("--all") { Description = "Run every task again" };
        var from = new Option<string>("--from") { Description = "Run this task (+name) and everything after it; reuse the tasks before it" };
        var (parameters, paramsFile) = (Params(), ParamsFile());
        var (endpoint, token, quiet) = (Endpoint(), Token(), Quiet());
        var command = new Command("retry", "Retry an attempt as a new attempt of the same session, with the project's current files")
        {
            attempt, failed, all, from, parameters, paramsFile, quiet, project, state, endpoint, token,
        };
        command.Validators.Add(result =>
        {
            var chosen = (result.GetValue(failed) ? 1 : 0) + (result.GetValue(all) ? 1 : 0) + (result.GetValue(from) is null ? 0 : 1);
            if (chosen != 1)
            {
                result.AddError("choose one of --failed, --all or --from +task");
            }
        });
        command.SetAction((result, cancellationToken) =>
        {
            var options = new RetryOptions(result.GetRequiredValue(attempt), result.GetValue(all) ? ResumeMode.None : result.GetValue(from) is null ? ResumeMode.Failed : ResumeMode.From)
            {
                FromTask = result.GetValue(from),
                Params = result.GetValue(parameters) ?? [],
                ParamsFile = result.GetValue(paramsFile),
                ProjectDirectory = result.GetValue(project),
                StateDirectory = result.GetValue(state),
                Quiet = result.GetValue(quiet),
            };
            var remote = new RemoteCommands(context);
            return result.GetValue(endpoint) is { } url
                ? remote.RunAsync(url, result.GetValue(token), client => remote.RetryAsync(client, options, cancellationToken))
                : new RetryCommand(context).RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static Command Kill(CliContext context)
    {
        var (project, state, attempt) = (Project(), State(), AttemptArgument());
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("kill", "Kill a running attempt: cancel its tasks and stop their processes") { attempt, project, state, endpoint, token };
        command.SetAction((result, cancellationToken) =>
        {
            var remote = new RemoteCommands(context);
            return result.GetValue(endpoint) is { } url
                ? remote.RunAsync(url, result.GetValue(token), client => remote.KillAsync(client, result.GetRequiredValue(attempt), cancellationToken))
                : new KillCommand(context).RunAsync(result.GetRequiredValue(attempt), new StateOptions(result.GetValue(project), result.GetValue(state)), cancellationToken);
        });
        return command;
    }

    private static Command Secrets(CliContext context)
    {
        var set = new Option<string?>("--set") { Description = "Set a secret: key=value, or key alone to read the value from stdin (keeps it out of shell history)" };
        var delete = new Option<string?>("--delete") { Description = "Delete a secret" };
        var list = new Option<bool>("--list") { Description = "List the project's secret names (never values)" };
        var (project, state) = (Project(), State());
        var command = new Command("secrets", "Manage the project's local encrypted secrets (key: $BO_SECRETS_KEY or ~/.config/batchorchestrator/secrets.key)")
        {
            set, delete, list, state, project,
        };
        command.SetAction((result, cancellationToken) =>
            new SecretsCommand(context.Input, context.Output, context.Error).RunAsync(
                new SecretsRequest(result.GetValue(set), result.GetValue(delete), result.GetValue(list), result.GetValue(state), result.GetValue(project)),
                Storage.Files.SecretKeySource.FromEnvironment(),
                cancellationToken));
        return command;
    }

    private static Command Server(CliContext context)
    {
        var project = new Option<string?>("--project") { Description = "Serve this project folder (default: the current folder)" };
        var root = new Option<string?>("--projects-root") { Description = "Serve every project folder (with .dig files) under this folder" };
        var state = State();
        var port = new Option<int>("--port") { Description = $"The port (default {ServerOptions.DefaultPort}; 0 picks a free one)", DefaultValueFactory = _ => ServerOptions.DefaultPort };
        var bind = new Option<string>("--bind") { Description = "The address to listen on (default 127.0.0.1; any other needs a token)", DefaultValueFactory = _ => "127.0.0.1" };
        var token = Token();
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the API token from this file (also $BO_API_TOKEN_FILE); unlike --token, it does not show in the process list" };
        var hostNames = new Option<string[]>("--host-name") { Description = "A host name clients reach the server by (repeatable; loopback names and IP addresses always work; also $BO_HOST_NAMES)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("server", "Serve the HTTP API and the web UI over the local engine (runs until Ctrl-C)") { project, root, state, port, bind, token, tokenFile, hostNames };
        command.SetAction((result, cancellationToken) => new ServerCommand(context).RunAsync(
            new ServerCommandOptions
            {
                ProjectDirectory = result.GetValue(project),
                ProjectsRoot = result.GetValue(root),
                StateDirectory = result.GetValue(state),
                Port = result.GetValue(port),
                Bind = result.GetValue(bind) ?? "127.0.0.1",
                Token = result.GetValue(token),
                TokenFile = result.GetValue(tokenFile),
                HostNames = result.GetValue(hostNames) ?? [],
            },
            cancellationToken));
        return command;
    }

    private static Command Schedules(CliContext context)
    {
        var (project, state) = (Project(), State());
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("schedules", "List the project's (or a server's) scheduled workflows: next session and run time, enabled, last session started") { project, state, endpoint, token };
        command.SetAction((result, cancellationToken) => new SchedulesCommand(context).RunAsync(
            new StateOptions(result.GetValue(project), result.GetValue(state)) { Endpoint = result.GetValue(endpoint), Token = result.GetValue(token) }, cancellationToken));
        return command;
    }

    private static Command Backfill(CliContext context)
    {
        var (project, state) = (Project(), State());
        var workflow = new Argument<string>("workflow") { Description = "A scheduled workflow of the project (its name, or its .dig file name)" };
        var from = new Option<string>("--from")
        {
            Description = "The first session time: YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\" in the workflow's time zone",
            Required = true,
        };
        var count = new Option<int?>("--count") { Description = "At most this many sessions (default: every session up to now)" };
        var name = new Option<string?>("--name") { Description = "The backfill's name, given to its attempts; the same name never runs twice (default: from --from and --count)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the sessions it would run, without running anything" };
        var (endpoint, token) = (Endpoint(), Token());
        var command = new Command("backfill", "Run past sessions of a scheduled workflow one after another, locally (or on a server with -e)") { workflow, from, count, name, dryRun, project, state, endpoint, token };
        command.SetAction((result, cancellationToken) => new BackfillCommand(context).RunAsync(
            new BackfillOptions(result.GetRequiredValue(workflow), result.GetRequiredValue(from))
            {
                Count = result.GetValue(count),
                Name = result.GetValue(name),
                DryRun = result.GetValue(dryRun),
                State = new StateOptions(result.GetValue(project), result.GetValue(state)) { Endpoint = result.GetValue(endpoint), Token = result.GetValue(token) },
            },
            cancellationToken));
        return command;
    }

    private static Command Init(CliContext context)
    {
        var directory = new Argument<string>("dir") { Description = "The new project's folder (created; its name is the project's and the workflow's)" };
        var sample = new Option<string>("--type", "-t") { Description = "The sample: echo (echo> tasks), sh (a shell script), py (a Python function)", DefaultValueFactory = _ => "echo" };
        sample.AcceptOnlyFromAmong([.. Client.ProjectSamples.Names]);
        var command = new Command("init", "Make a new project folder from a sample workflow") { directory, sample };
        command.SetAction((result, cancellationToken) => new Client.InitCommand(context).RunAsync(result.GetRequiredValue(directory), result.GetRequiredValue(sample), cancellationToken));
        return command;
    }

    private static Command Push(CliContext context)
    {
        var directory = new Argument<string>("dir") { Description = "The project folder to send (its .bo state folder stays out)" };
        var name = new Option<string?>("--project") { Description = "The project's name on the server (default: the folder's name)" };
        var (endpoint, token, tokenFile) = (ClientEndpoint(), Token(), TokenFile());
        var command = new Command("push", "Send a project folder to a server (bo server, or the Functions app: -e 'https://APP?code=KEY') as its new revision") { directory, name, endpoint, token, tokenFile };
        return OnServer(context, command, endpoint, token, tokenFile, (projects, client, result, cancellationToken) =>
            projects.PushAsync(client, result.GetRequiredValue(directory), result.GetValue(name), cancellationToken));
    }

    private static Command Workflows(CliContext context)
    {
        var project = new Argument<string?>("project") { Description = "Only this project's workflows", Arity = ArgumentArity.ZeroOrOne };
        var (endpoint, token, tokenFile) = (ClientEndpoint(), Token(), TokenFile());
        var command = new Command("workflows", "List a server's projects and workflows with their revisions") { project, endpoint, token, tokenFile };
        return OnServer(context, command, endpoint, token, tokenFile, (projects, client, result, cancellationToken) =>
            projects.WorkflowsAsync(client, result.GetValue(project), cancellationToken));
    }

    private static Command Download(CliContext context)
    {
        var project = new Argument<string>("project") { Description = "The project to fetch" };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to unpack into (default: ./<project>); it must be new or empty unless --force" };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already has files (files of the same name are replaced)" };
        var (endpoint, token, tokenFile) = (ClientEndpoint(), Token(), TokenFile());
        var command = new Command("download", "Fetch a project's current files from a server into a folder") { project, output, force, endpoint, token, tokenFile };
        return OnServer(context, command, endpoint, token, tokenFile, (projects, client, result, cancellationToken) =>
            projects.DownloadAsync(client, result.GetRequiredValue(project), result.GetValue(output), result.GetValue(force), cancellationToken));
    }

    private static Command Delete(CliContext context)
    {
        var project = new Argument<string>("project") { Description = "The pushed project to remove" };
        var force = new Option<bool>("--force") { Description = "Delete without asking (needed when not at a terminal)" };
        var (endpoint, token, tokenFile) = (ClientEndpoint(), Token(), TokenFile());
        var command = new Command("delete", "Remove a pushed project from a server: it no longer lists, runs or is scheduled (refused while one of its attempts runs)") { project, force, endpoint, token, tokenFile };
        return OnServer(context, command, endpoint, token, tokenFile, (projects, client, result, cancellationToken) =>
            projects.DeleteAsync(client, result.GetRequiredValue(project), result.GetValue(force), cancellationToken));
    }

    /// <summary>A client command's action: the server's client from -e and the token options, then the command.</summary>
    private static Command OnServer(
        CliContext context,
        Command command,
        Option<string> endpoint,
        Option<string?> token,
        Option<string?> tokenFile,
        Func<Client.ProjectCommands, Remote.ServerClient, ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction((result, cancellationToken) =>
            new RemoteCommands(context).RunAsync(result.GetRequiredValue(endpoint), Remote.ApiToken.Resolve(result.GetValue(token), result.GetValue(tokenFile)), client =>
                action(new Client.ProjectCommands(context), client, result, cancellationToken)));
        return command;
    }

    private static Command Version(CliContext context)
    {
        var command = new Command("version", "Show bo's version");
        command.SetAction(_ => new Client.ProjectCommands(context).VersionAsync());
        return command;
    }

    private static Option<string> ClientEndpoint() => new("--endpoint", "-e")
    {
        Description = "The server's address: a bo server (default http://127.0.0.1:65432), or the Functions app with its key (https://APP?code=KEY)",
        DefaultValueFactory = _ => "http://127.0.0.1:" + ServerOptions.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Option<string?> TokenFile() => new("--token-file") { Description = "A file holding the server's API token (kept out of the process list)" };

    private static Option<string?> Endpoint() => new("--endpoint", "-e") { Description = "A bo server's address (e.g. http://127.0.0.1:65432): work with its runs instead of the local state" };

    private static Option<string?> Token() => new("--token") { Description = "The API token of the server (default: $BO_API_TOKEN, else the file $BO_API_TOKEN_FILE names; either keeps it out of the process list)" };

    private static Argument<string> AttemptArgument() =>
        new("attempt") { Description = "An attempt id, a unique part of it, or an attempt's number in the newest session" };

    private static Option<string[]> Params() =>
        new("--param", "-p") { Description = "A session param, key=value (repeatable); values are typed like YAML scalars", Arity = ArgumentArity.ZeroOrMore };

    private static Option<string> ParamsFile() => new("--params-file") { Description = "Session params from a YAML or JSON file (-p values override them)" };

    private static Option<string> Project() => new("--project") { Description = "The project folder (default: the current folder)" };

    private static Option<string> State() => new("--state") { Description = "The state folder (default: .bo in the project folder)" };
}
