using System.Collections.Immutable;
using Gateway.Core.Sessions;

namespace Gateway.Core.Dispatch;

/// <summary>
/// Who may call a function; every handler declares one. An Operator, and a holder of the function's own
/// permission, may always call it unscoped; the umbrella permissions listed here admit a caller scoped to itself.
/// </summary>
public sealed class Access
{
    private Access(bool isPublic, ImmutableArray<string> umbrellas, bool anySession = false)
    {
        IsPublic = isPublic;
        Umbrellas = umbrellas;
        AnySession = anySession;
    }

    /// <summary>Callable without logging in.</summary>
    public static Access Public { get; } = new(isPublic: true, []);

    /// <summary>Callable by an Operator, or by a holder of the call's own permission.</summary>
    public static Access Operator { get; } = new(isPublic: false, []);

    /// <summary>Callable by any logged-in caller, whatever it holds (Batch: each of its items is authorized on its own).</summary>
    public static Access Session { get; } = new(isPublic: false, [], anySession: true);

    /// <summary>Also callable by holders of <paramref name="umbrellas"/>, each acting only on itself.</summary>
    public static Access Scoped(params string[] umbrellas)
    {
        foreach (var umbrella in umbrellas)
        {
            if (!PermissionNames.Umbrellas.Contains(umbrella))
                throw new ArgumentException($"'{umbrella}' is not an umbrella permission", nameof(umbrellas));
        }
        return new(isPublic: false, [.. umbrellas]);
    }

    /// <summary>True when no session is needed.</summary>
    public bool IsPublic { get; }

    /// <summary>True when any live session may call it; such a call has no permission of its own.</summary>
    public bool AnySession { get; }

    /// <summary>Umbrella permissions (besides Operator) that admit a scoped caller.</summary>
    public ImmutableArray<string> Umbrellas { get; }

    /// <inheritdoc />
    public override string ToString() => IsPublic ? "public" : AnySession ? "any logged-in session" : string.Join(", ", ["Operator", .. Umbrellas]);
}
