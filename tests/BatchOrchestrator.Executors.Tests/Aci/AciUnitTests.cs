using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Executors.Aci;

namespace BatchOrchestrator.Executors.Tests.Aci;

[TestClass]
public sealed class AciUnitTests
{
    [TestMethod]
    [DataRow("4Gi", 4.3)]
    [DataRow("512Mi", 0.6)]
    [DataRow("4G", 4.0)]
    [DataRow("1.5", 1.5)]
    public void Memory_is_converted_to_GB_rounded_up_to_a_tenth(string text, double expected) =>
        Assert.AreEqual(expected, AciResources.MemoryGb(JsonSerializer.SerializeToElement(text), 1));

    [TestMethod]
    public void Cpu_takes_cores_or_millicores_and_rejects_nonsense()
    {
        Assert.AreEqual(2, AciResources.Cpu(JsonSerializer.SerializeToElement(2), 1));
        Assert.AreEqual(0.5, AciResources.Cpu(JsonSerializer.SerializeToElement("500m"), 1));
        Assert.AreEqual(1, AciResources.Cpu(null, 1));
        var failure = Assert.ThrowsExactly<TaskFailure>(() => AciResources.Cpu(JsonSerializer.SerializeToElement("lots"), 1));
        Assert.Contains("container.cpu", failure.Message);
    }

    [TestMethod]
    public void Group_names_are_deterministic_distinct_per_try_and_valid()
    {
        var a = new AciTryKey("attempt-1", "+wf+Extract_Data!", 1);
        Assert.AreEqual(a.GroupName, new AciTryKey("attempt-1", "+wf+Extract_Data!", 1).GroupName);
        Assert.AreNotEqual(a.GroupName, new AciTryKey("attempt-1", "+wf+Extract_Data!", 2).GroupName);
        Assert.AreNotEqual(a.GroupName, new AciTryKey("attempt-2", "+wf+Extract_Data!", 1).GroupName);
        Assert.StartsWith("bo-wf-extract-data-1-", a.GroupName);
        Assert.IsTrue(a.Owns(a.Tags().AsReadOnly()));
        Assert.IsFalse(new AciTryKey("attempt-1", "+wf+Extract_Data!", 2).Owns(a.Tags().AsReadOnly()));
    }

    [TestMethod]
    public void An_unfinished_output_marker_waits_for_the_next_read()
    {
        var partial = "work\n\n@@bo-output@@YT0x";
        var first = AciLogDelta.Read(partial, AciLogPosition.Start);
        Assert.AreEqual("work\n", first.Text);
        Assert.IsNull(first.Output);

        var second = AciLogDelta.Read(partial + "Cg==@@\n", first.Position);
        Assert.AreEqual("", second.Text);
        Assert.AreEqual("a=1\n", second.Output);
    }
}
