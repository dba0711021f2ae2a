using System.Net;
using System.Net.Sockets;
using BatchOrchestrator.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary><c>bo server</c> that cannot start says so in one line, with what to do, and no stack trace.</summary>
[TestClass]
public sealed class ServerStartTests
{
    [TestMethod]
    public async Task A_port_in_use_is_one_line_saying_what_to_do()
    {
        var folder = Directory.CreateTempSubdirectory("bo-start-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.dig"), "+a:\n  echo>: a\n");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, output) = await BoServerProcess.RunToEndAsync(folder, "server", "--project", folder, "--port", port);

        Assert.AreNotEqual(0, exit, output);
        Assert.AreEqual($"error: cannot listen on 127.0.0.1:{port}: the port is in use (another bo server?): stop what uses it, or choose another with --port (0 picks a free one)", output.Trim());
    }

    [TestMethod]
    public async Task A_state_folder_written_by_a_newer_version_is_one_line_naming_both_schema_versions()
    {
        var folder = Directory.CreateTempSubdirectory("bo-start-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.dig"), "+a:\n  echo>: a\n");
        var state = Directory.CreateDirectory(Path.Combine(folder, "state")).FullName;
        var database = Path.Combine(state, "runtime.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_info (version INTEGER NOT NULL); INSERT INTO schema_info (version) VALUES (99);";
            command.ExecuteNonQuery();
        }

        var (exit, output) = await BoServerProcess.RunToEndAsync(folder, "server", "--project", folder, "--state", state, "--port", "0");

        Assert.AreEqual(1, exit, output);
        Assert.AreEqual(
            $"error: cannot open the state folder {state}: The database '{database}' has schema version 99, written by a newer version of the runtime; this one reads versions up to 4. Open it with that newer version.",
            output.Trim());
    }

    [TestMethod]
    [DataRow("runtime.db")]
    [DataRow("runs.db")]
    [DataRow("params.db")]
    public async Task A_database_of_the_state_folder_that_is_not_a_SQLite_file_is_one_line_naming_it(string file)
    {
        var (exit, output, state) = await StartOnStateAsync(state => File.WriteAllText(Path.Combine(state, file), "notes, not a database\n"));

        Assert.AreEqual(1, exit, output);
        Assert.AreEqual(
            $"error: cannot open the state folder {state}: {Path.Combine(state, file)} is not a SQLite database or is corrupt: " +
            "move it aside (bo then starts an empty one, without the records it held) or restore it from a backup",
            output.Trim());
    }

    [TestMethod]
    [DataRow("runtime.db")]
    [DataRow("runs.db")]
    [DataRow("params.db")]
    public async Task A_folder_where_a_database_of_the_state_folder_belongs_is_one_line_naming_it(string file)
    {
        var (exit, output, state) = await StartOnStateAsync(state => Directory.CreateDirectory(Path.Combine(state, file)));

        Assert.AreEqual(1, exit, output);
        Assert.AreEqual($"error: cannot open the state folder {state}: {Path.Combine(state, file)} is a folder where bo keeps a file: move it aside and run again", output.Trim());
    }

    [TestMethod]
    public async Task A_read_only_runtime_database_is_one_line_naming_it()
    {
        using var project = new CliProject();
        var database = await RanOnceOpenToAllAsync(project, "runtime.db");
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (exit, output) = await StartWithoutRootAsync(project);

        Assert.AreEqual(1, exit, output);
        Assert.AreEqual(
            $"error: cannot open the state folder {project.StateFolder}: {database} (or its folder) is read-only, and bo writes it and its -wal and -shm files beside it: " +
            "make them writable, or use another state folder with --state",
            output.Trim());
    }

    [TestMethod]
    public async Task A_run_database_without_permission_is_one_line_naming_it()
    {
        using var project = new CliProject();
        var database = await RanOnceOpenToAllAsync(project, "runs.db");
        File.SetUnixFileMode(database, UnixFileMode.None);

        var (exit, output) = await StartWithoutRootAsync(project);

        Assert.AreEqual(1, exit, output);
        Assert.AreEqual(
            $"error: cannot open the state folder {project.StateFolder}: {database} cannot be opened: bo has no permission on it or its folder: give bo read and write access to both",
            output.Trim());
    }

    /// <summary>One <c>bo run</c> on the project (its state folder made), then all of it open to every user; the path of the state folder's <paramref name="file"/>.</summary>
    private static async Task<string> RanOnceOpenToAllAsync(CliProject project, string file)
    {
        project.Write("a.dig", "+a:\n  echo>: a\n");
        Assert.AreEqual(0, (await project.RunAsync("a.dig")).Exit);
        project.OpenToAllUsers();
        return Path.Combine(project.StateFolder, file);
    }

    /// <summary><c>bo server</c> on the project and its default state folder, to its end, as <c>nobody</c> when the tests run as root (whose writes no permission stops).</summary>
    private static Task<(int Exit, string Output)> StartWithoutRootAsync(CliProject project) =>
        BoServerProcess.RunToEndWithoutRootAsync(project.Folder, "server", "--project", project.Folder, "--port", "0");

    /// <summary>Runs <c>bo server</c> to its end on a project and a state folder that <paramref name="spoil"/> prepared.</summary>
    private static async Task<(int Exit, string Output, string State)> StartOnStateAsync(Action<string> spoil)
    {
        var folder = Directory.CreateTempSubdirectory("bo-start-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.dig"), "+a:\n  echo>: a\n");
        var state = Directory.CreateDirectory(Path.Combine(folder, "state")).FullName;
        spoil(state);
        var (exit, output) = await BoServerProcess.RunToEndAsync(folder, "server", "--project", folder, "--state", state, "--port", "0");
        return (exit, output, state);
    }

    [TestMethod]
    public async Task An_ipv4_address_written_as_ipv6_is_listened_on()
    {
        var folder = Directory.CreateTempSubdirectory("bo-start-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.dig"), "+a:\n  echo>: a\n");
        using var server = await BoServerProcess.StartAsync(folder, "--bind", "::ffff:127.0.0.1");
        using var projects = await server.Client.GetAsync(new Uri("/api/projects", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, projects.StatusCode);
    }
}
