namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// Which parts of a <see cref="CommandRequest"/> held <c>${secret:...}</c> before the launch
/// activity resolved them. Names only, never values: an executor that stores its command where
/// others can read it (an ACI container group definition, a Job spec) uses it to put exactly
/// those parts somewhere protected (secure environment values). Set by the launch activity;
/// empty everywhere else.
/// </summary>
/// <param name="Environment">Names of environment variables whose values came from secrets.</param>
/// <param name="Command">Whether an argument of the command held a secret.</param>
/// <param name="Files">Whether a file of the command held a secret.</param>
public sealed record CommandSecretParts(IReadOnlyList<string> Environment, bool Command, bool Files)
{
    public static readonly CommandSecretParts None = new([], false, false);

    public bool IsEmpty => Environment.Count == 0 && !Command && !Files;
}
