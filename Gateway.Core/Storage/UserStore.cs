using Dapper;

namespace Gateway.Core.Storage;

/// <summary>Users: lookups on pooled connections, changes inside a writer transaction.</summary>
public sealed class UserStore(Database database, ReadCache cache)
{
    private const string Columns = """
        UserId, UserName, Email, EmailVerified, AccountId, OMSId, Use2FA, Locked, LockedTime, NumberOfFailedAttempt,
        DateTimeCreated, AffiliateId, RefererId, ExternalUserId, FederatedUserId, FirstName, LastName, DisplayName,
        EmailOn, TFCNumber, FOLAccountName, UserType, RoleType, DefaultSiteDashboardViewType,
        DefaultDashboardVendorFilterType, Active, PasswordHash
        """;

    private const string ById = $"SELECT {Columns} FROM users WHERE UserId = @UserId";
    private const string ByName = $"SELECT {Columns} FROM users WHERE UserName = @UserName";

    private const string InsertSql = """
        INSERT INTO users (UserName, Email, DateTimeCreated, RefererId, ExternalUserId, FederatedUserId, FirstName, LastName,
            DisplayName, EmailOn, TFCNumber, FOLAccountName, UserType, RoleType, DefaultSiteDashboardViewType,
            DefaultDashboardVendorFilterType, PasswordHash)
        VALUES (@UserName, @Email, @DateTimeCreated, @RefererId, @ExternalUserId, @FederatedUserId, @FirstName, @LastName,
            @DisplayName, @EmailOn, @TFCNumber, @FOLAccountName, @UserType, @RoleType, @DefaultSiteDashboardViewType,
            @DefaultDashboardVendorFilterType, @PasswordHash)
        RETURNING UserId
        """;

    private const string UpdateSql = """
        UPDATE users SET UserName = @UserName, Email = @Email, EmailVerified = @EmailVerified, Locked = @Locked,
            LockedTime = @LockedTime, NumberOfFailedAttempt = @NumberOfFailedAttempt, ExternalUserId = @ExternalUserId,
            FederatedUserId = @FederatedUserId, FirstName = @FirstName, LastName = @LastName, DisplayName = @DisplayName,
            EmailOn = @EmailOn, TFCNumber = @TFCNumber, FOLAccountName = @FOLAccountName, UserType = @UserType,
            RoleType = @RoleType, DefaultSiteDashboardViewType = @DefaultSiteDashboardViewType,
            DefaultDashboardVendorFilterType = @DefaultDashboardVendorFilterType, Active = @Active
        WHERE UserId = @UserId
        """;

    private const string SetPasswordSql = "UPDATE users SET PasswordHash = @PasswordHash WHERE UserId = @UserId";

    private const string TakenSql = """
        SELECT CASE
            WHEN EXISTS (SELECT 1 FROM users WHERE UserName = @UserName AND UserId <> @UserId) THEN 'UserName'
            WHEN @Email IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE Email = @Email AND UserId <> @UserId) THEN 'Email'
            WHEN @ExternalUserId IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE ExternalUserId = @ExternalUserId AND UserId <> @UserId) THEN 'ExternalUserId'
        END
        """;

    /// <summary>The user with <paramref name="userId"/>, or null.</summary>
    public async Task<UserRow?> FindAsync(int userId, CancellationToken ct) =>
        (await cache.GetAsync("user", userId.ToString(System.Globalization.CultureInfo.InvariantCulture), token => QueryAsync(ById, new { UserId = userId }, token), ct)
            .ConfigureAwait(false))?.Clone();

    /// <summary>The user named <paramref name="userName"/> (case-insensitively), or null.</summary>
    public async Task<UserRow?> FindByNameAsync(string userName, CancellationToken ct) =>
        (await cache.GetAsync("user-name", NoCase(userName), token => QueryAsync(ByName, new { UserName = userName }, token), ct)
            .ConfigureAwait(false))?.Clone();

    // The key SQLite's NOCASE collation compares by: only ASCII letters fold.
    private static string NoCase(string name) => string.Create(name.Length, name, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
            span[i] = source[i] is >= 'a' and <= 'z' ? (char)(source[i] - 32) : source[i];
    });

    private async Task<UserRow?> QueryAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<UserRow>(new CommandDefinition(sql, parameters, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The user with <paramref name="userId"/> as the transaction sees it, or null.</summary>
    public static Task<UserRow?> FindAsync(WriteTransaction tx, int userId) => tx.FirstOrDefaultAsync<UserRow>(ById, new { UserId = userId });

    /// <summary>True when <paramref name="userId"/> exists, as the transaction sees it.</summary>
    public static async Task<bool> ExistsAsync(WriteTransaction tx, int userId) =>
        await tx.ScalarAsync<long>("SELECT EXISTS (SELECT 1 FROM users WHERE UserId = @UserId)", new { UserId = userId }).ConfigureAwait(false) == 1;

    /// <summary>The user named <paramref name="userName"/> (ignoring case) as the transaction sees it, or null.</summary>
    public static Task<UserRow?> FindByNameAsync(WriteTransaction tx, string userName) => tx.FirstOrDefaultAsync<UserRow>(ByName, new { UserName = userName });

    /// <summary>Which unique field of <paramref name="user"/> another user already holds (UserName, Email, ExternalUserId), or null.</summary>
    public static Task<string?> TakenFieldAsync(WriteTransaction tx, UserRow user) => tx.ScalarAsync<string?>(TakenSql, user);

    /// <summary>Inserts a new user and returns its UserId.</summary>
    public static Task<int> InsertAsync(WriteTransaction tx, UserRow user) => tx.ScalarAsync<int>(InsertSql, user);

    /// <summary>Replaces the password hash of <paramref name="userId"/>.</summary>
    public static Task SetPasswordHashAsync(WriteTransaction tx, int userId, string passwordHash) =>
        tx.ExecuteAsync(SetPasswordSql, new { UserId = userId, PasswordHash = passwordHash });

    /// <summary>Writes every changeable column of <paramref name="user"/>.</summary>
    public static Task UpdateAsync(WriteTransaction tx, UserRow user) => tx.ExecuteAsync(UpdateSql, user);
}
