using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;

namespace Gateway.Core.Handlers.Permissions;

/// <summary>GetAvailablePermissionList: every permission name, sorted ordinally.</summary>
public sealed class GetAvailablePermissionListHandler(PermissionCatalog catalog) : IHandler<EmptyRequest, IReadOnlyList<string>>
{
    /// <inheritdoc />
    public static string Name => "GetAvailablePermissionList";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> HandleAsync(EmptyRequest request, CallContext call, CancellationToken ct) =>
        ValueTask.FromResult(catalog.All);
}
