using Gateway.Core.Sessions;

namespace Gateway.Core.Handlers.Registration;

/// <summary><c>Gateway:Registration</c>: self-registration by RegisterNewUser (off unless an operator turns it on).</summary>
public sealed class RegistrationOptions
{
    /// <summary>The user names no one may register, compared by their user-name key.</summary>
    public static readonly IReadOnlyList<string> DefaultReservedUserNames = ["admin", "administrator", "operator", "root", "system", "support"];

    /// <summary>The only permissions <see cref="DefaultPermissions"/> may name: a registration never grants more.</summary>
    public static readonly IReadOnlyList<string> GrantablePermissions =
        [PermissionNames.AccountReadOnly, PermissionNames.Deposit, PermissionNames.Trading, PermissionNames.Withdraw];

    /// <summary>The longest password, whatever <see cref="MinPasswordLength"/> says.</summary>
    public const int MaxPasswordLength = 128;

    /// <summary>False (the default): RegisterNewUser and RegisterUser answer 106.</summary>
    public bool Enabled { get; set; }

    /// <summary>Attempts (any outcome, dry runs included) one remote address may make per hour.</summary>
    public int PerAddressPerHour { get; set; } = 5;

    /// <summary>Successful registrations per hour, all addresses together.</summary>
    public int PerHour { get; set; } = 100;

    /// <summary>The shortest password a registration or a reset accepts.</summary>
    public int MinPasswordLength { get; set; } = 8;

    /// <summary>Null: <see cref="DefaultReservedUserNames"/>. An array, so a configured list replaces the default instead of adding to it.</summary>
    public string[]? ReservedUserNames { get; set; }

    /// <summary>Null: Deposit, Trading and Withdraw, as CreateUser grants. Only <see cref="GrantablePermissions"/> are allowed (checked at start-up).</summary>
    public string[]? DefaultPermissions { get; set; }

    /// <summary>The reserved names in force.</summary>
    public IReadOnlyList<string> Reserved => ReservedUserNames ?? DefaultReservedUserNames;

    /// <summary>The permissions a registered user gets.</summary>
    public IReadOnlyList<string> Permissions => DefaultPermissions ?? PermissionNames.NewUserDefaults;
}
