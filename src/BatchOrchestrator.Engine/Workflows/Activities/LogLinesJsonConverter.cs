using System.Text.Json;
using System.Text.Json.Serialization;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// The JSON of the log lines in <see cref="PendingWrites"/>: lines in a row that share their log's
/// attempt (project, workflow, session, attempt) are written as one group that names it once, each
/// line with its task, try and text only —
/// <c>[{"project":…,"workflow":…,"sessionTime":…,"attempt":…,"lines":[{"task":…,"try":1,"text":…}]}]</c>.
/// Every line of an orchestration belongs to one attempt, and these lines ride in activity inputs
/// and part results that the runtime keeps in its history (an <c>echo&gt;</c> task's line up to three
/// times): with the whole key on each line, the key was four fifths of a line's bytes. The order of
/// the lines is kept. A line written whole (<c>{"log":{…},"text":…}</c>, as in histories of earlier
/// versions) is read too, so a run started before an upgrade replays.
/// </summary>
public sealed class LogLinesJsonConverter : JsonConverter<IReadOnlyList<WriteLogInput>>
{
    /// <summary>Whether two lines' logs belong to the same attempt, so one group holds both.</summary>
    public static bool SameAttempt(TaskLogKey a, TaskLogKey b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Project == b.Project && a.Workflow == b.Workflow && a.SessionTime == b.SessionTime && a.Attempt == b.Attempt;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<WriteLogInput> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        TaskLogKey? group = null;
        foreach (var line in value)
        {
            if (group is null || !SameAttempt(group, line.Log))
            {
                if (group is not null)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                group = line.Log;
                writer.WriteStartObject();
                writer.WriteString(Names.Project, group.Project);
                writer.WriteString(Names.Workflow, group.Workflow);
                writer.WriteString(Names.SessionTime, group.SessionTime);
                writer.WriteString(Names.Attempt, group.Attempt);
                writer.WriteStartArray(Names.Lines);
            }

            writer.WriteStartObject();
            writer.WriteString(Names.Task, line.Log.TaskName);
            writer.WriteNumber(Names.Try, line.Log.Try);
            writer.WriteString(Names.Text, line.Text);
            writer.WriteEndObject();
        }

        if (group is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public override IReadOnlyList<WriteLogInput> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var lines = new List<WriteLogInput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var element = ReadFields(ref reader);
            if (element.Log is { } whole)
            {
                lines.Add(new WriteLogInput(whole.Key(whole), element.Text ?? throw new JsonException("A log line has no text.")));
                continue;
            }

            foreach (var line in element.Lines ?? [])
            {
                lines.Add(new WriteLogInput(element.Key(line), line.Text ?? throw new JsonException("A log line has no text.")));
            }
        }

        return lines;
    }

    /// <summary>The fields of any object of this JSON: a group, a line in a group, a line written whole or its key.</summary>
    private sealed class Fields
    {
        public string? Project { get; set; }
        public string? Workflow { get; set; }
        public string? SessionTime { get; set; }
        public string? Attempt { get; set; }
        public string? TaskName { get; set; }
        public string? Text { get; set; }
        public int? Try { get; set; }
        public Fields? Log { get; set; }
        public List<Fields>? Lines { get; set; }

        /// <summary>The key of a log of this attempt (these fields name it) for the task and try given.</summary>
        public TaskLogKey Key(Fields task) =>
            Project is not null && Workflow is not null && SessionTime is not null && Attempt is not null && task.TaskName is not null && task.Try is { } tryNumber
                ? new TaskLogKey(Project, Workflow, SessionTime, Attempt, task.TaskName, tryNumber)
                : throw new JsonException("A log line needs its attempt (project, workflow, sessionTime, attempt), task and try.");
    }

    private static Fields ReadFields(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var fields = new Fields();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case Names.Project: fields.Project = reader.GetString(); break;
                case Names.Workflow: fields.Workflow = reader.GetString(); break;
                case Names.SessionTime: fields.SessionTime = reader.GetString(); break;
                case Names.Attempt: fields.Attempt = reader.GetString(); break;
                case Names.Task or Names.TaskName: fields.TaskName = reader.GetString(); break;
                case Names.Try: fields.Try = reader.GetInt32(); break;
                case Names.Text: fields.Text = reader.GetString(); break;
                case Names.Log: fields.Log = ReadFields(ref reader); break;
                case Names.Lines:
                    Expect(ref reader, JsonTokenType.StartArray);
                    fields.Lines = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        fields.Lines.Add(ReadFields(ref reader));
                    }

                    break;
                default: reader.Skip(); break;
            }
        }

        return fields;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in the log lines, found {reader.TokenType}.");
        }
    }

    /// <summary>Property names, as <c>JsonSerializerDefaults.Web</c> would write them.</summary>
    internal static class Names
    {
        public const string Project = "project";
        public const string Workflow = "workflow";
        public const string SessionTime = "sessionTime";
        public const string Attempt = "attempt";
        public const string Lines = "lines";
        public const string Task = "task";
        public const string Try = "try";
        public const string Text = "text";
        public const string Log = "log";
        public const string TaskName = "taskName";
    }
}
