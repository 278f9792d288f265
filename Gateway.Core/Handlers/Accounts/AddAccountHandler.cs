using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>AddAccount: a new account; a taken AccountHandle answers <c>Success:false</c> with the reason.</summary>
public sealed class AddAccountHandler(DbWriter writer) : IHandler<AddAccountRequest, AddAccountResponse>
{
    /// <inheritdoc />
    public static string Name => "AddAccount";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<AddAccountResponse> HandleAsync(AddAccountRequest request, CallContext call, CancellationToken ct)
    {
        var account = request.ToRow();
        try
        {
            return await writer.WriteAsync(call.Audit, async tx =>
            {
                // Thrown, not returned, so the refusal rolls back and leaves no audit record: only successful writes are audited.
                if (account.AccountHandle is { } handle && await AccountStore.FindByHandleAsync(tx, handle).ConfigureAwait(false) is { } holder)
                    throw new GatewayException(ErrorCode.OperationFailed, $"AccountHandle '{handle}' is already used by account {holder.AccountId}");
                var id = await AccountStore.InsertAsync(tx, account).ConfigureAwait(false);
                tx.AuditCreation(AuditStates.Account(id));
                tx.Change = $"account {id} '{account.AccountName}' created";
                return new AddAccountResponse(true, id, null);
            }, ct).ConfigureAwait(false);
        }
        catch (GatewayException taken) when (taken.Code == ErrorCode.OperationFailed)
        {
            return new AddAccountResponse(false, 0, taken.Detail);
        }
    }
}

/// <summary><c>{"Success","Id","RejectMessage"}</c>.</summary>
/// <param name="Success">True when the account was created.</param>
/// <param name="Id">The new AccountId, 0 when refused.</param>
/// <param name="RejectMessage">Why it was refused; null on success.</param>
public sealed record AddAccountResponse(bool Success, int Id, string? RejectMessage);

/// <summary>The account's fields; AccountName is required, AccountType 0–2 and RiskType 0–3.</summary>
public sealed class AddAccountRequest : AccountFields
{
    internal AccountRow ToRow()
    {
        if (string.IsNullOrWhiteSpace(AccountName))
            throw new GatewayException(ErrorCode.InvalidRequest, "AddAccount needs AccountName");
        if (AccountType is < 0 or > 2)
            throw new GatewayException(ErrorCode.InvalidRequest, $"AccountType must be 0 (Asset), 1 (Liability) or 2 (ProfitLoss), not {AccountType}");
        if (RiskType is < 0 or > 3)
            throw new GatewayException(ErrorCode.InvalidRequest, $"RiskType must be 0 (Unknown), 1 (Normal), 2 (NoRiskCheck) or 3 (NoTrading), not {RiskType}");
        return new AccountRow
        {
            AccountName = AccountName.Trim(), AccountHandle = string.IsNullOrEmpty(AccountHandle) ? null : AccountHandle.Trim(),
            AccountType = AccountType ?? 0, RiskType = RiskType ?? 1, VerificationLevel = VerificationLevel ?? 0,
            FeeGroupID = FeeGroupID ?? 0, ParentID = ParentID ?? 0, FirmId = FirmId, FirmName = FirmName, TFCNumber = TFCNumber ?? 0,
            StreetAddress = StreetAddress, City = City, State = State, ZipCode = ZipCode, Country = Country,
            ViewLineItemPermissionFlag = ViewLineItemPermissionFlag ?? false, OrderLineItemPermissionFlag = OrderLineItemPermissionFlag ?? false,
            HidePricingInformation = HidePricingInformation ?? false,
        };
    }
}
