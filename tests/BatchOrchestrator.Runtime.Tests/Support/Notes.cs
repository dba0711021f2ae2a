using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>A payload a runtime may hand over in process, as an activity's input or as its result.</summary>
public sealed record SharedNote(string Text, int[] Numbers) : ISharedActivityInput, ISharedActivityResult;

/// <summary>A payload with no such mark: always a copy read from its recorded form.</summary>
public sealed record PlainNote(string Text);
