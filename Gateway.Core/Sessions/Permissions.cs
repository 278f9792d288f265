using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Sessions;

/// <summary>The umbrella permission names.</summary>
public static class PermissionNames
{
    /// <summary>Holds every permission.</summary>
    public const string Operator = "Operator";
    /// <summary>Trading on one's own accounts.</summary>
    public const string Trading = "Trading";
    /// <summary>Deposits to one's own accounts.</summary>
    public const string Deposit = "Deposit";
    /// <summary>Withdrawals from one's own accounts.</summary>
    public const string Withdraw = "Withdraw";
    /// <summary>Reading one's own accounts.</summary>
    public const string AccountReadOnly = "AccountReadOnly";

    /// <summary>Every umbrella permission.</summary>
    public static FrozenSet<string> Umbrellas { get; } = new[] { Operator, Trading, Deposit, Withdraw, AccountReadOnly }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What CreateUser grants.</summary>
    public static IReadOnlyList<string> NewUserDefaults { get; } = [Deposit, Trading, Withdraw];
}

/// <summary>Every permission name: the umbrellas plus one per non-public function of the handler table (a call any session may make has none).</summary>
public sealed class PermissionCatalog
{
    private readonly FrozenDictionary<string, string> _canonical;

    /// <summary>Derives the names from the calls declared in <paramref name="handlers"/>.</summary>
    public PermissionCatalog(HandlerRegistryBuilder handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var names = PermissionNames.Umbrellas.Concat(handlers.Declared.Where(h => !h.Requires.IsPublic && !h.Requires.AnySession).Select(h => h.Name)).Distinct().ToList();
        names.Sort(StringComparer.Ordinal);
        All = names;
        _canonical = names.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every name, sorted ordinally.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The canonical spelling of <paramref name="name"/>, matched case-insensitively.</summary>
    public bool TryCanonical(string? name, [NotNullWhen(true)] out string? canonical)
    {
        canonical = null;
        return name is not null && _canonical.TryGetValue(name, out canonical);
    }
}
