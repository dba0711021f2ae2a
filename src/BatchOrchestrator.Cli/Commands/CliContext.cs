using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// What every command writes to and reads the time from: the console in <c>bo</c>, string
/// writers and a fixed clock in tests.
/// </summary>
public sealed record CliContext(TextWriter Output, TextWriter Error)
{
    /// <summary>Where commands read typed input from (a secret's value).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Whether <see cref="Input"/> is a person at a terminal, who can be asked to confirm (<c>bo delete</c>).</summary>
    public bool InputIsTerminal { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Which signal stopped the command, for its exit code.</summary>
    public StopSignal Stop { get; init; } = new();

    /// <summary>How a running attempt is shown; plain lines on <see cref="Output"/> unless set.</summary>
    public IProgressDisplay? Display { get; init; }

    /// <summary>How often a running attempt's records are read for the display.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Activities at once in the local engine; the engine's default when null.</summary>
    public int? ActivityWorkers { get; init; }

    /// <summary>
    /// Operators besides the built-in and Blob ones, for a <c>bo</c> built with a plug-in's: the
    /// local engine runs them and <c>bo check</c> validates against them.
    /// </summary>
    public IReadOnlyList<OperatorDefinition> ExtraOperators { get; init; } = [];

    /// <summary>The registry the local engine would run with: what every command checks workflows against.</summary>
    public OperatorRegistry CreateOperators() => LocalOperators.Create(ExtraOperators);

    public IProgressDisplay ProgressDisplay => Display ?? new PlainProgressDisplay(Output);

    public DateTimeOffset Now => Clock.GetUtcNow();
}
