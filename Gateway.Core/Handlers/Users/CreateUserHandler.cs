using System.Text.Json.Serialization;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Affiliates;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Users;

/// <summary>CreateUser: a new user with the default permissions Deposit, Trading and Withdraw.</summary>
public sealed class CreateUserHandler(DbWriter writer, PasswordHasher hasher, TimeProvider time) : IHandler<CreateUserRequest, CreateUserResponse>
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 8;

    /// <inheritdoc />
    public static string Name => "CreateUser";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<CreateUserResponse> HandleAsync(CreateUserRequest request, CallContext call, CancellationToken ct)
    {
        var info = request.UserInfo ?? throw new GatewayException(ErrorCode.InvalidRequest, "CreateUser needs UserInfo with UserName and Password");
        if (string.IsNullOrWhiteSpace(info.UserName))
            throw new GatewayException(ErrorCode.InvalidRequest, "UserInfo.UserName is required");
        var userName = UserNames.Clean(info.UserName, "UserInfo.UserName");
        var password = string.IsNullOrEmpty(info.Password) ? info.PasswordHash : info.Password;
        if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength)
            throw new GatewayException(ErrorCode.InvalidRequest, $"UserInfo.Password is required and must be at least {MinimumPasswordLength} characters");
        var row = info.ApplyTo(new UserRow { UserName = userName, DateTimeCreated = Timestamps.Iso(time.GetUtcNow()), Active = true });
        if (!string.IsNullOrEmpty(request.AffiliateTag))
            AffiliateTagRules.ValidTag(request.AffiliateTag);
        row.PasswordHash = hasher.Hash(password);

        var userId = await writer.WriteAsync(call.Audit, async tx =>
        {
            if (await UserStore.TakenFieldAsync(tx, row).ConfigureAwait(false) is { } taken)
                throw new GatewayException(ErrorCode.OperationFailed, $"{taken} is already used by another user");
            if (!string.IsNullOrEmpty(request.AffiliateTag))
            {
                var referrer = await AffiliateTagStore.FindAsync(tx, request.AffiliateTag).ConfigureAwait(false)
                    ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"AffiliateTag '{request.AffiliateTag}' does not exist");
                row.RefererId = referrer.UserId;
            }
            var id = await UserStore.InsertAsync(tx, row).ConfigureAwait(false);
            foreach (var permission in PermissionNames.NewUserDefaults)
                await PermissionStore.GrantAsync(tx, id, permission).ConfigureAwait(false);
            tx.AuditCreation(AuditStates.User(id));
            tx.Change = $"user {id} '{userName}' created";
            return id;
        }, ct).ConfigureAwait(false);
        return new CreateUserResponse { UserId = userId };
    }
}

/// <summary><c>{"UserInfo":{...},"AffiliateTag":"","OMSId":1}</c>; OperatorId and UserConfig are accepted and ignored.</summary>
public sealed class CreateUserRequest : IOmsRequest
{
    /// <summary>The new user's fields.</summary>
    public UserFields? UserInfo { get; set; }

    /// <summary>The tag of the user who referred this one; it becomes the new user's RefererId.</summary>
    public string? AffiliateTag { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }
}

/// <summary>Std plus the new <c>UserId</c>.</summary>
public sealed class CreateUserResponse : StandardReply
{
    /// <summary>The new user's id.</summary>
    public int UserId { get; init; }
}
