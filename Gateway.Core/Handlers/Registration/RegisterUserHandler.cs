using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;

namespace Gateway.Core.Handlers.Registration;

/// <summary>RegisterUser: the name alias of RegisterNewUser that alphapoint-apex-api sends; the same call.</summary>
public sealed class RegisterUserHandler(SelfRegistration registration) : IHandler<RegisterNewUserRequest, CreateUserResponse>
{
    /// <inheritdoc />
    public static string Name => "RegisterUser";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public ValueTask<CreateUserResponse> HandleAsync(RegisterNewUserRequest request, CallContext call, CancellationToken ct) =>
        registration.RegisterAsync(request, call, ct);
}
