using System.Data.Common;
using Dapper;
using Gateway.Core.Sessions;

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
    // Names an older gateway stored may share a key (see 0004_user_name_keys.sql): the exact spelling wins, else the oldest user.
    private const string ByName = $"""
        SELECT {Columns} FROM users WHERE UserNameKey = @UserNameKey
        ORDER BY UserName = @UserName COLLATE "binary" DESC, UserId LIMIT 1
        """;

    // Search text is matched with instr, never LIKE or GLOB, so %, _, * and \ are ordinary characters.
    private const string ListSql = $"""
        SELECT {Columns} FROM users
        WHERE UserId >= @StartIndex
          AND (@NameNeedle IS NULL OR instr(UserNameKey, @NameNeedle) > 0 OR instr(lower(coalesce(Email, '')), lower(@EmailNeedle)) > 0)
          AND (@Locked IS NULL OR Locked = CAST(@Locked AS INTEGER))
          AND (@EmailVerified IS NULL OR EmailVerified = CAST(@EmailVerified AS INTEGER))
          AND (@Active IS NULL OR Active = CAST(@Active AS INTEGER))
          AND (@RefererId IS NULL OR RefererId = @RefererId)
          AND (@Permission IS NULL OR EXISTS (SELECT 1 FROM user_permissions p WHERE p.UserId = users.UserId AND p.Permission = @Permission))
          AND (@CreatedFrom IS NULL OR DateTimeCreated >= @CreatedFrom)
          AND (@CreatedTo IS NULL OR DateTimeCreated < @CreatedTo)
        ORDER BY UserId LIMIT @Limit
        """;

    private const string InsertSql = """
        INSERT INTO users (UserName, UserNameKey, Email, DateTimeCreated, RefererId, ExternalUserId, FederatedUserId, FirstName, LastName,
            DisplayName, EmailOn, TFCNumber, FOLAccountName, UserType, RoleType, DefaultSiteDashboardViewType,
            DefaultDashboardVendorFilterType, PasswordHash)
        VALUES (@UserName, @UserNameKey, @Email, @DateTimeCreated, @RefererId, @ExternalUserId, @FederatedUserId, @FirstName, @LastName,
            @DisplayName, @EmailOn, @TFCNumber, @FOLAccountName, @UserType, @RoleType, @DefaultSiteDashboardViewType,
            @DefaultDashboardVendorFilterType, @PasswordHash)
        RETURNING UserId
        """;

    private const string UpdateSql = """
        UPDATE users SET UserName = @UserName, UserNameKey = @UserNameKey, Email = @Email, EmailVerified = @EmailVerified, Locked = @Locked,
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
            WHEN NOT EXISTS (SELECT 1 FROM users WHERE UserId = @UserId AND UserName = @UserName COLLATE "binary")
                AND EXISTS (SELECT 1 FROM users WHERE UserNameKey = @UserNameKey AND UserId <> @UserId) THEN 'UserName'
            WHEN @Email IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE Email = @Email AND UserId <> @UserId) THEN 'Email'
            WHEN @ExternalUserId IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE ExternalUserId = @ExternalUserId AND UserId <> @UserId) THEN 'ExternalUserId'
        END
        """;

    /// <summary>The user with <paramref name="userId"/>, or null: a copy, the caller's to change.</summary>
    public async Task<UserRow?> FindAsync(int userId, CancellationToken ct) =>
        (await SharedAsync(userId, ct).ConfigureAwait(false))?.Clone();

    /// <summary>
    /// Whether <paramref name="userId"/> exists and may act (active, not locked), from the cached row itself: no copy,
    /// since the caller (the authorizer, on every call) only looks. Null when there is no such user.
    /// </summary>
    public async ValueTask<(bool Active, bool MayAct)?> StandingAsync(int userId, CancellationToken ct) =>
        await SharedAsync(userId, ct).ConfigureAwait(false) is { } row ? (row.Active, row.MayAct) : null;

    /// <summary>
    /// The cache's own row of <paramref name="userId"/>, or null. Every caller shares it, so it is only to be read, by
    /// code that does not hand it on: <see cref="FindAsync(int, CancellationToken)"/> gives a row to keep or change.
    /// </summary>
    internal ValueTask<UserRow?> SharedAsync(int userId, CancellationToken ct) =>
        cache.GetAsync(CacheKey.OfUser("user", userId), (this, userId), static (state, token) => state.Item1.QueryAsync(ById, new { UserId = state.userId }, token), ct);

    /// <summary>The user named <paramref name="userName"/> in any spelling with the same <see cref="UserNames.Key"/>, or null.</summary>
    public async Task<UserRow?> FindByNameAsync(string userName, CancellationToken ct) =>
        (await SharedByNameAsync(userName, ct).ConfigureAwait(false))?.Clone();

    /// <summary>The cache's own row of the user named <paramref name="userName"/>, or null: only to be read, as <see cref="SharedAsync"/>.</summary>
    internal ValueTask<UserRow?> SharedByNameAsync(string userName, CancellationToken ct) =>
        cache.GetAsync(CacheKey.OfAnyCommit("user-name", userName), (this, userName), static (state, token) => state.Item1.QueryAsync(ByName, NameLookup(state.userName), token), ct);

    /// <summary>The page of users <paramref name="filter"/> selects, by ascending UserId.</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(UserFilter filter, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await db.QueryAsync<UserRow>(new CommandDefinition(ListSql, filter, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    private static object NameLookup(string userName) => new { UserName = userName, UserNameKey = UserNames.Key(userName) };

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

    /// <summary>The user named <paramref name="userName"/> in any spelling with the same key, as the transaction sees it, or null.</summary>
    public static Task<UserRow?> FindByNameAsync(WriteTransaction tx, string userName) => tx.FirstOrDefaultAsync<UserRow>(ByName, NameLookup(userName));

    /// <summary>
    /// Which unique field of <paramref name="user"/> another user already holds (UserName, Email, ExternalUserId), or null.
    /// A name counts as taken when another user has its key, unless the user keeps its own name exactly as stored.
    /// </summary>
    public static Task<string?> TakenFieldAsync(WriteTransaction tx, UserRow user) => tx.ScalarAsync<string?>(TakenSql, user);

    /// <summary>Inserts a new user and returns its UserId.</summary>
    public static async Task<int> InsertAsync(WriteTransaction tx, UserRow user)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var userId = await tx.ScalarAsync<int>(InsertSql, user).ConfigureAwait(false);
        tx.MarkChanged(userId);
        return userId;
    }

    /// <summary>Replaces the password hash of <paramref name="userId"/>.</summary>
    public static Task SetPasswordHashAsync(WriteTransaction tx, int userId, string passwordHash) =>
        tx.ExecuteForUserAsync(userId, SetPasswordSql, new { UserId = userId, PasswordHash = passwordHash });

    /// <summary>Writes every changeable column of <paramref name="user"/>.</summary>
    public static Task UpdateAsync(WriteTransaction tx, UserRow user)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(user);
        return tx.ExecuteForUserAsync(user.UserId, UpdateSql, user);
    }

    private const string AllNamesSql = "SELECT UserId, UserName FROM users";
    private const string SetNameKeySql = "UPDATE users SET UserNameKey = @UserNameKey WHERE UserId = @UserId";

    /// <summary>Migration 4's code step: computes <c>UserNameKey</c> for every user already stored.</summary>
    internal static async Task FillNameKeysAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var users = await connection.QueryAsync<UserRow>(new CommandDefinition(AllNamesSql, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
        foreach (var user in users)
            await connection.ExecuteAsync(new CommandDefinition(SetNameKeySql, new { user.UserId, user.UserNameKey }, transaction, cancellationToken: ct)).ConfigureAwait(false);
    }
}
