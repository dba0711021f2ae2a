using System.Runtime.ExceptionServices;
using BatchOrchestrator.Runtime.Dispatch;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Dispatch;

/// <summary>The slow-turn watchdog of a worker pool.</summary>
[TestClass]
public sealed class WorkerSeatsTests
{
    // Set in this test's own flow only: exceptions of tests running beside it are not counted.
    private static readonly AsyncLocal<bool> InThisTest = new();

    [TestMethod]
    public async Task Stopping_the_watchdog_raises_no_exception()
    {
        // An exception at stop is not free: Native AOT formats the stack trace of a cancelled timer's
        // OperationCanceledException when the timer is cancelled, ~10 ms of CPU in every run of bo.
        var raised = new List<Exception>();
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (InThisTest.Value)
            {
                lock (raised)
                {
                    raised.Add(e.Exception);
                }
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            InThisTest.Value = true;
            var seats = new WorkerSeats(seats: 1, maxSlow: 1, slowAfter: TimeSpan.FromMinutes(1));
            using var stop = new CancellationTokenSource();
            var watching = seats.WatchAsync(stop.Token);
            await stop.CancelAsync();
            await watching.WaitAsync(Timeouts.Guard);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.AreEqual(0, raised.Count, string.Join(Environment.NewLine, raised.Select(e => e.GetType().Name + ": " + e.Message)));
    }
}
