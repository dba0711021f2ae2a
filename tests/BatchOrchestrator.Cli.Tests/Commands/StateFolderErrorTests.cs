using BatchOrchestrator.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary>
/// <c>bo run</c> on a state folder whose databases cannot be used: one line naming the file at fault
/// and what to do, exit 1, no stack trace, nothing run — and never "another bo run holds it".
/// </summary>
[TestClass]
public sealed class StateFolderErrorTests
{
    private const string Workflow = "+first:\n  sh>: echo ran >> runs.txt\n";

    /// <summary>As <see cref="Workflow"/>, then a param kept in params.db (which only a workflow using params makes).</summary>
    private const string WorkflowKeepingAParam = Workflow + "+keep:\n  param_set>:\n  last: ${session_date}\n";

    [TestMethod]
    [DataRow("runtime.db")]
    [DataRow("runs.db")]
    [DataRow("params.db")]
    public async Task A_database_that_is_not_a_SQLite_file_is_named_as_not_a_database(string file)
    {
        using var project = new CliProject();
        project.Write("hello.dig", Workflow);
        var database = project.Write(Path.Combine(".bo", file), "notes, not a database\n");

        var result = await project.RunAsync("hello.dig");

        AssertRefused(project, result,
            $"error: cannot open the state folder {project.StateFolder}: {database} is not a SQLite database or is corrupt: " +
            "move it aside (bo then starts an empty one, without the records it held) or restore it from a backup");
    }

    [TestMethod]
    [DataRow("runtime.db")]
    [DataRow("runs.db")]
    [DataRow("params.db")]
    public async Task A_truncated_database_is_named_as_corrupt(string file)
    {
        using var project = new CliProject();
        project.Write("hello.dig", WorkflowKeepingAParam);
        Assert.AreEqual(0, (await project.RunAsync("hello.dig", "--session", "2026-11-21")).Exit);
        var database = Path.Combine(project.StateFolder, file);
        // Everything into the database file itself, then its second half cut off, as a copy stopped half-way leaves it.
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
        using (var stream = new FileStream(database, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length / 2);
        }

        var result = await project.RunAsync("hello.dig", "--session", "2026-11-22");

        AssertRefused(project, result,
            $"error: cannot open the state folder {project.StateFolder}: {database} is not a SQLite database or is corrupt: " +
            "move it aside (bo then starts an empty one, without the records it held) or restore it from a backup",
            ranBefore: 1);
    }

    [TestMethod]
    public async Task The_commands_that_read_the_records_name_a_run_database_that_is_not_a_SQLite_file()
    {
        using var project = new CliProject();
        project.Write("hello.dig", Workflow);
        Assert.AreEqual(0, (await project.RunAsync("hello.dig")).Exit);
        var database = Path.Combine(project.StateFolder, "runs.db");
        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
        await File.WriteAllTextAsync(database, "notes, not a database\n");

        var result = await project.StateAsync("sessions");

        Assert.AreEqual(1, result.Exit, result.ToString());
        Assert.AreEqual(
            $"error: cannot open the state folder {project.StateFolder}: {database} is not a SQLite database or is corrupt: " +
            "move it aside (bo then starts an empty one, without the records it held) or restore it from a backup",
            result.Error.Trim());
    }

    [TestMethod]
    [DataRow("runtime.db")]
    [DataRow("runs.db")]
    [DataRow("params.db")]
    [DataRow("runtime.db-wal")]
    [DataRow("runs.db-wal")]
    [DataRow("runtime.db.lock")]
    public async Task A_folder_where_a_database_file_belongs_is_named(string file)
    {
        using var project = new CliProject();
        project.Write("hello.dig", Workflow);
        var folder = Directory.CreateDirectory(Path.Combine(project.StateFolder, file)).FullName;

        var result = await project.RunAsync("hello.dig");

        AssertRefused(project, result,
            $"error: cannot open the state folder {project.StateFolder}: {folder} is a folder where bo keeps a file: move it aside and run again");
    }

    [TestMethod]
    public async Task A_file_where_the_state_folder_belongs_is_named()
    {
        using var project = new CliProject();
        project.Write("hello.dig", Workflow);
        project.Write(".bo", "not a folder\n");

        var result = await project.RunAsync("hello.dig");

        AssertRefused(project, result,
            $"error: cannot open the state folder {project.StateFolder}: {project.StateFolder} is a file where bo keeps a folder: move it aside and run again");
    }

    [TestMethod]
    public async Task A_read_only_runtime_database_is_named_as_read_only()
    {
        using var project = new CliProject();
        var database = await RanOnceOpenToAllAsync(project);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await AssertRefusedWithoutRootAsync(project,
            $"error: cannot open the state folder {project.StateFolder}: {database} (or its folder) is read-only, and bo writes it and its -wal and -shm files beside it: " +
            "make them writable, or use another state folder with --state");
    }

    [TestMethod]
    public async Task A_run_database_without_permission_is_named()
    {
        using var project = new CliProject();
        var database = Path.Combine(Path.GetDirectoryName(await RanOnceOpenToAllAsync(project))!, "runs.db");
        File.SetUnixFileMode(database, UnixFileMode.None);

        await AssertRefusedWithoutRootAsync(project,
            $"error: cannot open the state folder {project.StateFolder}: {database} cannot be opened: bo has no permission on it or its folder: give bo read and write access to both");
    }

    /// <summary>The second run, in a process of its own (as <c>nobody</c> when the tests run as root), refused with <paramref name="line"/>.</summary>
    private static async Task AssertRefusedWithoutRootAsync(CliProject project, string line)
    {
        var (exit, output) = await BoServerProcess.RunToEndWithoutRootAsync(project.Folder, "run", "hello.dig", "--session", "2026-11-22");

        Assert.AreEqual(1, exit, output);
        Assert.AreEqual(line, output.Trim());
        Assert.HasCount(1, project.Lines("runs.txt"), "nothing ran");
    }

    /// <summary>
    /// One run, then the project readable and writable by every user, so that a file's permission
    /// taken away afterwards is the only thing that stops the next run (as <c>nobody</c> when the tests run as root); the runtime database.
    /// </summary>
    private static async Task<string> RanOnceOpenToAllAsync(CliProject project)
    {
        project.Write("hello.dig", Workflow);
        Assert.AreEqual(0, (await project.RunAsync("hello.dig", "--session", "2026-11-21")).Exit);
        project.OpenToAllUsers();
        return Path.Combine(project.StateFolder, "runtime.db");
    }

    private static void AssertRefused(CliProject project, BoResult result, string line, int ranBefore = 0)
    {
        Assert.AreEqual(1, result.Exit, result.ToString());
        Assert.AreEqual(line, result.Error.Trim(), result.ToString());
        Assert.DoesNotContain("another `bo run`", result.All, "nothing holds the folder");
        Assert.HasCount(ranBefore, project.Lines("runs.txt"), "nothing ran");
    }
}
