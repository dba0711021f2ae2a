namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>Input of <see cref="ActivityNames.LoadResumeState"/>.</summary>
/// <param name="AttemptId">The attempt whose tasks are reused.</param>
/// <param name="Mode">Failed: every succeeded task; From: those that succeeded before <paramref name="FromTask"/> started.</param>
/// <param name="FromTask">With <see cref="ResumeMode.From"/>, the first task to run again.</param>
public sealed record LoadResumeStateInput(string AttemptId, ResumeMode Mode, string? FromTask);
