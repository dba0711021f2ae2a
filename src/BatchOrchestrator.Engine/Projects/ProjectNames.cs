namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// What a project or workflow name may be, wherever it comes from (a folder, an API path, a
/// request body): letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, not starting with a dot. Such a
/// name is one safe path segment, so no name can reach outside the folders it names.
/// </summary>
public static class ProjectNames
{
    public const int MaxLength = 100;

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLength
        && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Why a name is refused, for an error message; null when it is valid.</summary>
    public static string? Problem(string? name) =>
        IsValid(name)
            ? null
            : $"'{name}' is not a valid name: use 1-{MaxLength} letters, digits, '_', '-' or '.', not starting with '.' (no '/', '\\' or '..')";
}
