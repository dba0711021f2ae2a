namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Why a store's file cannot be used, as far as a user does something different about each: the
/// stores classify their own errors into these, the hosts word them.
/// </summary>
public enum StoreFailure
{
    /// <summary>None of the others: the store's message says what went wrong.</summary>
    Unusable,

    /// <summary>Another runtime (or another process) holds the file.</summary>
    InUse,

    /// <summary>The file was written by a newer version, with a schema this one does not know.</summary>
    NewerSchema,

    /// <summary>The file or its folder is read-only.</summary>
    ReadOnly,

    /// <summary>The file is not a database of this kind, or is corrupt.</summary>
    Corrupt,

    /// <summary>The disk (or the file's size limit) is full.</summary>
    Full,

    /// <summary>The file cannot be opened: a folder stands at its path, or a permission is missing.</summary>
    CannotOpen,

    /// <summary>The disk reported an I/O error.</summary>
    IoError,

    /// <summary>A folder stands where the store keeps a file, or a file where it keeps a folder (the exception's path names it).</summary>
    WrongKind,
}
