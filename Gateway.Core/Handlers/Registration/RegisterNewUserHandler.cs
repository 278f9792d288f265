using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;

namespace Gateway.Core.Handlers.Registration;

/// <summary>RegisterNewUser: a user signs itself up (off unless Gateway:Registration:Enabled), with the default permissions, no account and no session.</summary>
public sealed class RegisterNewUserHandler(SelfRegistration registration) : IHandler<RegisterNewUserRequest, CreateUserResponse>
{
    /// <inheritdoc />
    public static string Name => "RegisterNewUser";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public ValueTask<CreateUserResponse> HandleAsync(RegisterNewUserRequest request, CallContext call, CancellationToken ct) =>
        registration.RegisterAsync(request, call, ct);
}
