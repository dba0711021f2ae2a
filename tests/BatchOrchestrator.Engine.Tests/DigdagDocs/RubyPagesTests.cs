using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's <c>rb&gt;</c> page (digdag-docs/src/operators/rb.md) and of its Ruby API
/// page (ruby_api.rst), as workflows of our own run with Debian's <c>ruby</c> (installed by
/// tests/setup/interpreters.sh) and checked against what the pages say they do.
/// </summary>
[TestClass]
public sealed class RubyPagesTests
{
    /// <summary>
    /// rb.md: <c>_export: rb: require:</c> names the file to load; <c>rb&gt;: METHOD</c> runs a method
    /// defined at its top level, <c>rb&gt;: Module::Class.method</c> a class's method.
    /// </summary>
    [TestMethod]
    public async Task Rb_runs_a_top_level_method_and_a_namespaced_class_method_of_the_required_file()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/my_workflow.rb", """
            def my_step1_method
              puts "step1 in #{Dir.pwd == File.expand_path('..', __dir__) ? 'the project folder' : Dir.pwd}"
            end

            module Task
              class MyWorkflow
                def self.step2
                  puts "step2 at #{Digdag.env.params['session_date']}"
                end
              end
            end
            """);
        project.Write("rb.dig", """
            _export:
              rb:
                require: tasks/my_workflow

            +step1:
              rb>: my_step1_method
            +step2:
              rb>: Task::MyWorkflow.step2
            """);

        var run = await project.RunAsync("rb");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("step1 in the project folder\n", await project.LogAsync(run, "+rb+step1"));
        Assert.AreEqual("step2 at 2026-11-21\n", await project.LogAsync(run, "+rb+step2"));
    }

    /// <summary>rb.md's <c>require</c> and <c>ruby</c> options: on the task, a path string or a command with arguments, or in <c>_export: rb:</c>.</summary>
    [TestMethod]
    [DataRow("  require: task/my_workflow\n  ruby: ruby\n", "", "quiet")]
    [DataRow("  require: task/my_workflow\n  ruby: [\"ruby\", \"-w\"]\n", "", "verbose")]
    [DataRow("  require: task/my_workflow\n", "_export:\n  rb:\n    ruby: ruby\n", "quiet")]
    public async Task Rb_runs_with_the_ruby_it_is_given(string options, string export, string expected)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("task/my_workflow.rb", "module Task\n  class MyWorkflow\n    def self.my_task\n      puts($VERBOSE ? 'verbose' : 'quiet')\n    end\n  end\nend\n");
        project.Write("options.dig", export + "+my_task:\n  rb>: Task::MyWorkflow.my_task\n" + options);

        var run = await project.RunAsync("options");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(expected + "\n", await project.LogAsync(run, "+options+my_task"));
    }

    /// <summary>
    /// ruby_api.rst: an instance method of a class runs on a new instance; <c>Digdag.env.store</c>
    /// sets a param for later tasks, read from <c>Digdag.env.params</c> and bound to a keyword
    /// argument by name (its default when unset); <c>add_subtask(MyWorkflow, :step3, arg1: 1)</c>
    /// adds a child task that runs the method with that argument.
    /// </summary>
    [TestMethod]
    public async Task The_ruby_api_stores_params_binds_arguments_and_adds_subtasks()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/my_workflow.rb", """
            class MyWorkflow
              def step1
                Digdag.env.store(my_value: 1)
                Digdag.env.add_subtask(MyWorkflow, :step3, arg1: 1)
              end

              def step2(my_value: "default")
                puts "step2: %s" % my_value
                puts "params: %s" % Digdag.env.params['my_value']
              end

              def step3(arg1:)
                puts "step3: %s" % arg1
              end

              def unset(other: "default")
                puts "unset: %s" % other
              end
            end
            """);
        project.Write("workflow.dig", """
            _export:
              rb:
                require: 'tasks/my_workflow'

            +step1:
              rb>: MyWorkflow.step1

            +step2:
              rb>: MyWorkflow.step2

            +unset:
              rb>: MyWorkflow.unset
            """);

        var run = await project.RunAsync("workflow");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("step3: 1\n", await project.LogAsync(run, "+workflow+step1^sub+subtask0"));
        Assert.AreEqual("step2: 1\nparams: 1\n", await project.LogAsync(run, "+workflow+step2"));
        Assert.AreEqual("unset: default\n", await project.LogAsync(run, "+workflow+unset"));
    }

    /// <summary>
    /// A Ruby exception fails the task: <c>error.message</c> is its class and message, and
    /// <c>error.stacktrace</c> its backtrace from the user's file (not the runner's frames).
    /// </summary>
    [TestMethod]
    public async Task A_ruby_exception_fails_the_task_with_its_class_message_and_backtrace()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("scripts/stacktrace_ruby.rb", "class StacktraceRuby\n  def self.run\n    helper\n  end\n\n  def self.helper\n    raise ArgumentError, 'no \"input\" (given)'\n  end\nend\n");
        project.Write("fails.dig", """
            +stacktrace_ruby:
              rb>: StacktraceRuby.run
              require: 'scripts/stacktrace_ruby'

            _error:
              +show:
                sh>: printf '%s\n%s\n' "$message" "$stacktrace" > error.txt
                _env:
                  message: ${error.message}
                  stacktrace: ${error.stacktrace}
            """);

        var run = await project.RunAsync("fails");

        Assert.IsFalse(run.Succeeded);
        var shown = project.Read("error.txt").Split('\n');
        Assert.AreEqual("ArgumentError: no \"input\" (given)", shown[0]);
        StringAssert.Contains(shown[1], "scripts/stacktrace_ruby.rb:7:in `helper': no \"input\" (given) (ArgumentError)");
        Assert.Contains("\tfrom ", project.Read("error.txt"));
        Assert.DoesNotContain("bo_rb_runner", project.Read("error.txt"));
    }

    /// <summary>A required argument that no param gives fails with Digdag's message.</summary>
    [TestMethod]
    public async Task A_required_argument_without_a_param_fails_with_digdags_message()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/args.rb", "class Test\n  def self.task1(arg1)\n    puts arg1\n  end\nend\n");
        project.Write("args.dig", "+task1:\n  rb>: Test.task1\n  require: tasks/args\n");

        var run = await project.RunAsync("args");

        Assert.IsFalse(run.Succeeded);
        Assert.Contains("ArgumentError: Method 'Test.task1' requires parameter 'arg1' but not set", run.Describe());
    }
}
