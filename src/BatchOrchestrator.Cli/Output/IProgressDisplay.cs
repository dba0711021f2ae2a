namespace BatchOrchestrator.Cli.Output;

/// <summary>
/// Shows an attempt's progress while it runs. <see cref="ShowAsync"/> runs <c>watch</c>, which
/// reports each new snapshot through the callback it is given; the display lasts as long as
/// <c>watch</c> does.
/// </summary>
public interface IProgressDisplay
{
    Task ShowAsync(Func<Action<AttemptProgress>, Task> watch);
}
