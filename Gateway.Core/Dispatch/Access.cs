namespace Gateway.Core.Dispatch;

/// <summary>Who may call a function; every handler declares one.</summary>
public sealed class Access
{
    private Access(string description, bool isPublic)
    {
        Description = description;
        IsPublic = isPublic;
    }

    /// <summary>Callable without logging in.</summary>
    public static Access Public { get; } = new("public", isPublic: true);

    /// <summary>Callable by an Operator, or by a holder of the call's own permission.</summary>
    public static Access Operator { get; } = new("Operator", isPublic: false);

    /// <summary>True when no session is needed.</summary>
    public bool IsPublic { get; }

    /// <summary>How the rule reads in documentation and logs.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public override string ToString() => Description;
}
