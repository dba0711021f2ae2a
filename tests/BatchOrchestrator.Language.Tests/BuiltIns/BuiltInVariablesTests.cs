using System.Text.Json;
using BatchOrchestrator.Language.BuiltIns;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.BuiltIns;

[TestClass]
public sealed class BuiltInVariablesTests
{
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static BuiltInContext Context(DateTimeOffset session, TimeZoneInfo zone) => new()
    {
        SessionTime = session,
        TimeZone = zone,
        ProjectId = 3,
        ProjectName = "ads",
        WorkflowName = "daily_report",
        SessionUuid = Guid.Parse("414a8b9e-b365-4394-916a-f0ed9987bd2b"),
        SessionId = 2381,
        AttemptId = 17,
        TaskName = "+daily_report+load",
    };

    [TestMethod]
    public void Session_variables_have_digdags_formats_and_types()
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse("2026-11-20T15:00:00Z"), Zone("Asia/Tokyo")));

        Assert.AreEqual("Asia/Tokyo", vars.Get("timezone").GetString());
        Assert.AreEqual("2026-11-21T00:00:00+09:00", vars.Get("session_time").GetString());
        Assert.AreEqual("2026-11-21", vars.Get("session_date").GetString());
        Assert.AreEqual("20261121", vars.Get("session_date_compact").GetString());
        Assert.AreEqual("2026-11-21 00:00:00", vars.Get("session_local_time").GetString());
        Assert.AreEqual("+0900", vars.Get("session_tz_offset").GetString());
        Assert.AreEqual(JsonValueKind.Number, vars.Get("session_unixtime").ValueKind);
        Assert.AreEqual(1795186800L, vars.Get("session_unixtime").GetInt64());
        Assert.AreEqual("414a8b9e-b365-4394-916a-f0ed9987bd2b", vars.Get("session_uuid").GetString());
        Assert.AreEqual(2381, vars.Get("session_id").GetInt64());
        Assert.AreEqual(3, vars.Get("project_id").GetInt64());
        Assert.AreEqual(17, vars.Get("attempt_id").GetInt64());
        Assert.AreEqual("ads", vars.Get("project_name").GetString());
        Assert.AreEqual("daily_report", vars.Get("workflow_name").GetString());
        Assert.AreEqual("+daily_report+load", vars.Get("task_name").GetString());
        Assert.AreEqual(JsonValueKind.Null, vars.Get("retry_attempt_name").ValueKind);
    }

    [TestMethod]
    public void Utc_prints_a_numeric_offset_not_z()
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse("2026-11-21T00:00:00Z"), TimeZoneInfo.Utc));
        Assert.AreEqual("2026-11-21T00:00:00+00:00", vars.Get("session_time").GetString());
        Assert.AreEqual("+0000", vars.Get("session_tz_offset").GetString());
        Assert.AreEqual("UTC", vars.Get("timezone").GetString());
    }

    [TestMethod]
    public void A_named_attempt_exposes_its_name()
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc) with { RetryAttemptName = "retry01" });
        Assert.AreEqual("retry01", vars.Get("retry_attempt_name").GetString());
    }

    [TestMethod]
    public void Without_a_schedule_there_are_no_last_or_next_session_variables()
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse("2026-11-20T15:00:00Z"), Zone("Asia/Tokyo")));
        Assert.IsFalse(vars.ContainsKey("last_session_time"));
        Assert.IsFalse(vars.ContainsKey("next_session_unixtime"));
    }

    [TestMethod]
    public void On_the_first_run_last_executed_session_variables_are_empty_strings()
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse("2026-11-20T15:00:00Z"), Zone("Asia/Tokyo")));
        foreach (var suffix in new[] { "time", "date", "date_compact", "local_time", "unixtime" })
        {
            Assert.AreEqual(string.Empty, vars.Get("last_executed_session_" + suffix).GetString(), suffix);
        }

        // Digdag fills this one with the zone's offset at the Unix epoch.
        Assert.AreEqual("+0900", vars.Get("last_executed_session_tz_offset").GetString());
    }

    [TestMethod]
    public void With_a_schedule_last_next_and_last_executed_sessions_are_formatted()
    {
        var context = Context(DateTimeOffset.Parse("2016-01-30T08:00:00Z"), Zone("America/Los_Angeles")) with
        {
            LastSessionTime = DateTimeOffset.Parse("2016-01-29T08:00:00Z"),
            NextSessionTime = DateTimeOffset.Parse("2016-01-31T08:00:00Z"),
            LastExecutedSessionTime = DateTimeOffset.Parse("2016-01-28T08:00:00Z"),
        };
        var vars = BuiltInVariables.Create(context);

        Assert.AreEqual("2016-01-29T00:00:00-08:00", vars.Get("last_session_time").GetString());
        Assert.AreEqual("2016-01-29", vars.Get("last_session_date").GetString());
        Assert.AreEqual("20160129", vars.Get("last_session_date_compact").GetString());
        Assert.AreEqual("2016-01-29 00:00:00", vars.Get("last_session_local_time").GetString());
        Assert.AreEqual("-0800", vars.Get("last_session_tz_offset").GetString());
        Assert.AreEqual(1454054400L, vars.Get("last_session_unixtime").GetInt64());
        Assert.AreEqual("2016-01-31T00:00:00-08:00", vars.Get("next_session_time").GetString());
        Assert.AreEqual(1454227200L, vars.Get("next_session_unixtime").GetInt64());
        Assert.AreEqual("2016-01-28", vars.Get("last_executed_session_date").GetString());
        Assert.AreEqual(1454140800L, vars.Get("session_unixtime").GetInt64());
    }

    [TestMethod]
    [DataRow("America/New_York", "2026-03-08T05:00:00Z", "2026-03-08T00:00:00-05:00", "-0500")]
    [DataRow("America/New_York", "2026-03-08T16:00:00Z", "2026-03-08T12:00:00-04:00", "-0400")]
    [DataRow("America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T00:00:00-04:00", "-0400")]
    [DataRow("America/New_York", "2026-11-01T17:00:00Z", "2026-11-01T12:00:00-05:00", "-0500")]
    [DataRow("America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T01:30:00-04:00", "-0400")]
    [DataRow("America/New_York", "2026-11-01T06:30:00Z", "2026-11-01T01:30:00-05:00", "-0500")]
    [DataRow("Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-29T00:00:00+01:00", "+0100")]
    [DataRow("Europe/Berlin", "2026-03-29T10:00:00Z", "2026-03-29T12:00:00+02:00", "+0200")]
    [DataRow("Europe/Berlin", "2026-10-24T22:00:00Z", "2026-10-25T00:00:00+02:00", "+0200")]
    [DataRow("Europe/Berlin", "2026-10-25T11:00:00Z", "2026-10-25T12:00:00+01:00", "+0100")]
    public void Offsets_follow_daylight_saving_time_on_switch_days(string zone, string instant, string sessionTime, string offset)
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse(instant), Zone(zone)));
        Assert.AreEqual(sessionTime, vars.Get("session_time").GetString());
        Assert.AreEqual(offset, vars.Get("session_tz_offset").GetString());
        Assert.AreEqual(DateTimeOffset.Parse(instant).ToUnixTimeSeconds(), vars.Get("session_unixtime").GetInt64());
    }

    [TestMethod]
    public void Every_produced_name_is_listed_as_built_in()
    {
        var context = Context(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc) with
        {
            LastSessionTime = DateTimeOffset.UnixEpoch,
            NextSessionTime = DateTimeOffset.UnixEpoch,
            ProjectPath = "/projects/ads",
        };
        var names = BuiltInVariables.Create(context).Keys.ToHashSet();
        Assert.IsTrue(names.SetEquals(BuiltInVariables.Names), string.Join(",", names.Except(BuiltInVariables.Names).Concat(BuiltInVariables.Names.Except(names))));
        Assert.IsTrue(BuiltInVariables.IsBuiltIn("session_unixtime"));
        Assert.IsFalse(BuiltInVariables.IsBuiltIn("my_param"));
    }

    [TestMethod]
    public void Templates_can_compute_with_built_ins()
    {
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse("2026-11-20T15:00:00Z"), Zone("Asia/Tokyo")));
        var engine = new TemplateEngine();
        Assert.AreEqual("1795190400", engine.Render("${session_unixtime + 3600}", vars));
        Assert.AreEqual("2026/11/21", engine.Render("${session_date.replace(/-/g, '/')}", vars));
        Assert.AreEqual("", engine.Render("${retry_attempt_name}", vars));
    }

    [TestMethod]
    public void A_fixed_offset_zone_is_named_as_written()
    {
        Assert.IsTrue(BatchOrchestrator.Language.Time.WorkflowTimeZone.TryResolve("+09:00", out var zone));
        var vars = BuiltInVariables.Create(Context(DateTimeOffset.Parse("2026-11-20T15:00:00Z"), zone));
        Assert.AreEqual("+09:00", vars.Get("timezone").GetString());
        Assert.AreEqual("2026-11-21T00:00:00+09:00", vars.Get("session_time").GetString());
    }
}
