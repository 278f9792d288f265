namespace Gateway.Core.Storage;

/// <summary>The engine behind the stores: <c>Gateway:Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file (the default): one gateway per file.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that several gateway nodes share.</summary>
    Postgres,
}
