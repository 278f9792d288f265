using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;

namespace Gateway.Core.Handlers.Users;

/// <summary>GetUserInfo: the user object of <c>{"UserId"}</c> or <c>{"UserName"}</c>; <c>{}</c> is the caller.</summary>
public sealed class GetUserInfoHandler(UserLookup lookup) : IHandler<UserRequest, UserInfo>
{
    /// <inheritdoc />
    public static string Name => "GetUserInfo";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(PermissionNames.Trading, PermissionNames.AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<UserInfo> HandleAsync(UserRequest request, CallContext call, CancellationToken ct) =>
        UserInfo.From(await lookup.ResolveAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false));
}
