namespace BatchOrchestrator.Cli.Client;

/// <summary>One file of a sample project: its path in the project, its text, and whether it is a script to run.</summary>
public sealed record SampleFile(string Path, string Text, bool Executable = false);

/// <summary>The samples <c>bo init -t</c> makes a project from: each a workflow named after the project, and what it runs.</summary>
public static class ProjectSamples
{
    public static IReadOnlyList<string> Names { get; } = ["echo", "sh", "py"];

    public static IReadOnlyList<SampleFile> For(string sample, string name) => sample switch
    {
        "echo" =>
        [
            new($"{name}.dig", $$"""
                # A new project: `bo run {{name}}.dig` runs today's session; `bo check .` shows its task tree.
                timezone: UTC

                +start:
                  echo>: ${session_date} starts

                +each:
                  for_each>:
                    part: [first, second]
                  _parallel: true
                  _do:
                    echo>: working on the ${part} part of ${session_date}

                +end:
                  echo>: ${session_date} is done
                """ + "\n"),
        ],
        "sh" =>
        [
            new($"{name}.dig", $$"""
                # A new project: `bo run {{name}}.dig` runs today's session; `bo check .` shows its task tree.
                timezone: UTC

                _export:
                  greeting: hello

                +hello:
                  # Run through sh: a revision pushed to a server keeps the files, not their modes.
                  sh>: sh scripts/hello.sh
                """ + "\n"),
            new("scripts/hello.sh", """
                #!/bin/sh
                # Params reach sh> as environment variables.
                set -eu
                echo "$greeting from $session_date"
                """ + "\n", Executable: true),
        ],
        "py" =>
        [
            new($"{name}.dig", $$"""
                # A new project: `bo run {{name}}.dig` runs today's session (py> needs python3).
                timezone: UTC

                +hello:
                  py>: tasks.hello.say
                  greeting: hello
                """ + "\n"),
            new("tasks/__init__.py", string.Empty),
            new("tasks/hello.py", """
                def say(greeting):
                    # Arguments are filled from params by name.
                    print("%s from python" % greeting)
                """ + "\n"),
        ],
        _ => throw new Commands.UserError($"-t '{sample}': expected one of {string.Join(", ", Names)}", 2),
    };
}
