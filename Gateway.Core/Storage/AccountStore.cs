using Dapper;

namespace Gateway.Core.Storage;

/// <summary>Accounts: never deleted.</summary>
public sealed class AccountStore(Database database, ReadCache cache)
{
    private const string Columns = """
        AccountId, OMSID, AccountName, AccountHandle, AccountType, RiskType, VerificationLevel, FeeGroupID, ParentID,
        FirmId, FirmName, TFCNumber, StreetAddress, City, State, ZipCode, Country, ViewLineItemPermissionFlag,
        OrderLineItemPermissionFlag, HidePricingInformation
        """;

    private const string ById = $"SELECT {Columns} FROM accounts WHERE AccountId = @AccountId";
    private const string ByHandle = $"SELECT {Columns} FROM accounts WHERE AccountHandle = @AccountHandle";
    private const string OfUser = $"""
        SELECT {Columns} FROM accounts WHERE AccountId IN (SELECT AccountId FROM user_accounts WHERE UserId = @UserId) ORDER BY AccountId
        """;

    // Search text is matched with instr, never LIKE or GLOB, so %, _, * and \ are ordinary characters.
    private const string ListSql = $"""
        SELECT {Columns} FROM accounts
        WHERE AccountId >= @StartIndex
          AND (@Needle IS NULL OR instr(lower(AccountName), lower(@Needle)) > 0 OR instr(lower(coalesce(AccountHandle, '')), lower(@Needle)) > 0)
          AND (CAST(@NeedFirmId AS INTEGER) = 0 OR coalesce(FirmId, '') <> '')
          AND (CAST(@NeedFirmName AS INTEGER) = 0 OR coalesce(FirmName, '') <> '')
        ORDER BY AccountId LIMIT @Limit
        """;

    private const string UpdateSql = """
        UPDATE accounts SET AccountName = @AccountName, AccountHandle = @AccountHandle, AccountType = @AccountType, RiskType = @RiskType,
            VerificationLevel = @VerificationLevel, FeeGroupID = @FeeGroupID, ParentID = @ParentID, FirmId = @FirmId, FirmName = @FirmName,
            TFCNumber = @TFCNumber, StreetAddress = @StreetAddress, City = @City, State = @State, ZipCode = @ZipCode, Country = @Country,
            ViewLineItemPermissionFlag = @ViewLineItemPermissionFlag, OrderLineItemPermissionFlag = @OrderLineItemPermissionFlag,
            HidePricingInformation = @HidePricingInformation
        WHERE AccountId = @AccountId
        """;

    private const string InsertSql = """
        INSERT INTO accounts (OMSID, AccountName, AccountHandle, AccountType, RiskType, VerificationLevel, FeeGroupID, ParentID,
            FirmId, FirmName, TFCNumber, StreetAddress, City, State, ZipCode, Country, ViewLineItemPermissionFlag,
            OrderLineItemPermissionFlag, HidePricingInformation)
        VALUES (@OMSID, @AccountName, @AccountHandle, @AccountType, @RiskType, @VerificationLevel, @FeeGroupID, @ParentID,
            @FirmId, @FirmName, @TFCNumber, @StreetAddress, @City, @State, @ZipCode, @Country, @ViewLineItemPermissionFlag,
            @OrderLineItemPermissionFlag, @HidePricingInformation)
        RETURNING AccountId
        """;

    /// <summary>The account with <paramref name="accountId"/>, or null.</summary>
    public async Task<AccountRow?> FindAsync(int accountId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<AccountRow>(new CommandDefinition(ById, new { AccountId = accountId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The account whose handle is <paramref name="handle"/> (ignoring case), or null.</summary>
    public async Task<AccountRow?> FindByHandleAsync(string handle, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<AccountRow>(new CommandDefinition(ByHandle, new { AccountHandle = handle }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The page of accounts <paramref name="filter"/> selects, by ascending AccountId.</summary>
    public async Task<IReadOnlyList<AccountRow>> ListAsync(AccountFilter filter, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await db.QueryAsync<AccountRow>(new CommandDefinition(ListSql, filter, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The accounts linked to <paramref name="userId"/>, by ascending AccountId.</summary>
    public async Task<IReadOnlyList<AccountRow>> OfUserAsync(int userId, CancellationToken ct) =>
        (await CachedOfUserAsync(userId, ct).ConfigureAwait(false)).Select(row => row.Clone()).ToList();

    /// <summary>
    /// The AccountIds linked to <paramref name="userId"/>, ascending: the cache's own array, made once from the cached
    /// rows and then shared read-only by every call until a commit makes it stale.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<int>> IdsOfUserAsync(int userId, CancellationToken ct) =>
        await cache.GetAsync(CacheKey.OfUser("account-ids-of-user", userId, readsAccounts: true), (store: this, userId), static async (state, token) =>
        {
            var rows = await state.store.CachedOfUserAsync(state.userId, token).ConfigureAwait(false);
            var ids = new int[rows.Count];
            for (var i = 0; i < ids.Length; i++)
                ids[i] = rows[i].AccountId;
            return ids;
        }, ct).ConfigureAwait(false);

    // The cache's own rows: shared by every caller, so never handed out to code that could change them.
    private ValueTask<IReadOnlyList<AccountRow>> CachedOfUserAsync(int userId, CancellationToken ct) =>
        cache.GetAsync(CacheKey.OfUser("accounts-of-user", userId, readsAccounts: true), (database, userId), static async (state, token) =>
        {
            await using var db = await state.database.OpenAsync(token).ConfigureAwait(false);
            return (IReadOnlyList<AccountRow>)(await db.QueryAsync<AccountRow>(new CommandDefinition(OfUser, new { UserId = state.userId }, cancellationToken: token)).ConfigureAwait(false)).AsList();
        }, ct);

    /// <summary>The account with <paramref name="accountId"/> as the transaction sees it, or null.</summary>
    public static Task<AccountRow?> FindAsync(WriteTransaction tx, int accountId) => tx.FirstOrDefaultAsync<AccountRow>(ById, new { AccountId = accountId });

    /// <summary>The account whose handle is <paramref name="handle"/> (ignoring case), or null.</summary>
    public static Task<AccountRow?> FindByHandleAsync(WriteTransaction tx, string handle) => tx.FirstOrDefaultAsync<AccountRow>(ByHandle, new { AccountHandle = handle });

    /// <summary>Writes every changeable column of <paramref name="account"/>.</summary>
    public static Task UpdateAsync(WriteTransaction tx, AccountRow account)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(account);
        tx.MarkChanged(accountId: account.AccountId);
        return tx.ExecuteAsync(UpdateSql, account);
    }

    /// <summary>Inserts a new account and returns its AccountId.</summary>
    public static async Task<int> InsertAsync(WriteTransaction tx, AccountRow account)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var accountId = await tx.ScalarAsync<int>(InsertSql, account).ConfigureAwait(false);
        tx.MarkChanged(accountId: accountId);
        return accountId;
    }
}
