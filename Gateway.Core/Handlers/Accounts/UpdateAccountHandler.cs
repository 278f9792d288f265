using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>UpdateAccount: changes the given fields of an account; a request that changes nothing leaves no audit record.</summary>
public sealed class UpdateAccountHandler(DbWriter writer) : IHandler<UpdateAccountRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "UpdateAccount";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(UpdateAccountRequest request, CallContext call, CancellationToken ct)
    {
        request.Check();
        var accountId = request.AccountId!.Value;
        await writer.WriteAsync(call.Audit, async tx =>
        {
            var row = await AccountStore.FindAsync(tx, accountId).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"accountId {accountId} does not exist");
            await tx.AuditChangeAsync(AuditStates.Account(accountId)).ConfigureAwait(false);
            var before = AccountInfo.From(row);
            request.ApplyTo(row);
            if (AccountInfo.From(row) == before)
            {
                tx.Unchanged = true;
                return;
            }
            if (row.AccountHandle is { } handle && await AccountStore.FindByHandleAsync(tx, handle).ConfigureAwait(false) is { } holder && holder.AccountId != accountId)
                throw new GatewayException(ErrorCode.OperationFailed, $"account handle '{handle}' already in use");
            if (row.ParentID != before.ParentID)
                await EnsureParentAsync(tx, accountId, row.ParentID).ConfigureAwait(false);
            await AccountStore.UpdateAsync(tx, row).ConfigureAwait(false);
            tx.Change = $"account {accountId} updated";
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }

    // The new parent exists, and walking up from it never reaches this account (itself included).
    private static async Task EnsureParentAsync(WriteTransaction tx, int accountId, int parentId)
    {
        var next = await AccountStore.FindAsync(tx, parentId).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"ParentID {parentId}: accountId {parentId} does not exist");
        var seen = new HashSet<int>();
        while (true)
        {
            if (next.AccountId == accountId)
                throw new GatewayException(ErrorCode.OperationFailed, $"ParentID {parentId} would make a cycle");
            if (next.ParentID <= 0 || !seen.Add(next.AccountId))
                return;
            if (await AccountStore.FindAsync(tx, next.ParentID).ConfigureAwait(false) is not { } parent)
                return;
            next = parent;
        }
    }
}
