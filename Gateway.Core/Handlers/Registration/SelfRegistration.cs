using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Affiliates;
using Gateway.Core.Handlers.Config;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers.Registration;

/// <summary>
/// What RegisterNewUser and its alias RegisterUser do: off unless <c>Gateway:Registration:Enabled</c>; every attempt
/// counted for its address before anything is looked up; only name, email, password, config and tag taken; the new
/// user gets exactly <c>Gateway:Registration:DefaultPermissions</c>, no account and no session.
/// </summary>
public sealed class SelfRegistration(DbWriter writer, PasswordHasher hasher, PasswordGate gate, PublicCallThrottle throttle, SecurityEvents security,
    ConfigKeys configKeys, ConfigWrites configWrites, TimeProvider time, IOptions<GatewayOptions> options)
{
    private RegistrationOptions Settings => options.Value.Registration;

    /// <summary>Registers the user of <paramref name="request"/>; answers Std plus its UserId, as CreateUser does.</summary>
    public async ValueTask<CreateUserResponse> RegisterAsync(RegisterNewUserRequest request, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        if (!Settings.Enabled)
            throw new GatewayException(ErrorCode.OperationNotSupported, Failures.Disabled(call.Function));
        if (!throttle.TryCountRegistrationAttempt(call.Connection.RemoteAddress))
            throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);

        var info = request.UserInfo ?? throw new GatewayException(ErrorCode.InvalidRequest, $"{call.Function} needs UserInfo with UserName, Email and Password");
        var userName = RegistrationRules.UserName(info.UserName, Settings.Reserved);
        var email = RegistrationRules.Email(info.Email);
        if (!string.IsNullOrEmpty(info.Password) && !string.IsNullOrEmpty(info.PasswordHash) && info.Password != info.PasswordHash)
            throw new GatewayException(ErrorCode.InvalidRequest, "UserInfo.Password and UserInfo.PasswordHash differ; send the password once");
        var password = RegistrationRules.Password(string.IsNullOrEmpty(info.Password) ? info.PasswordHash : info.Password, Settings.MinPasswordLength, userName, email);
        var config = Config(request.UserConfig);
        var tag = string.IsNullOrEmpty(request.AffiliateTag) ? null : AffiliateTagRules.ValidTag(request.AffiliateTag);

        var place = throttle.TryTakeRegistration() ?? throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);
        try
        {
            var row = new UserRow
            {
                UserName = userName, Email = email, DateTimeCreated = Timestamps.Iso(time.GetUtcNow()), Active = true,
                PasswordHash = await HashAsync(password, ct).ConfigureAwait(false),
            };
            var userId = await writer.WriteAsync(call.Audit, tx => CreateAsync(tx, row, tag, config), ct).ConfigureAwait(false);
            // A dry run created no one, so it takes no place among the hour's registrations (its attempt still counted).
            if (WriteUnit.Current is { InDryRun: true })
                place.GiveBack();
            await writer.AfterCommitAsync(() => security.Registered(userName, userId, call.Connection), ct).ConfigureAwait(false);
            return new CreateUserResponse { UserId = userId };
        }
        catch
        {
            place.GiveBack();
            throw;
        }
    }

    private async Task<int> CreateAsync(WriteTransaction tx, UserRow row, string? tag, IReadOnlyList<ConfigEntry> config)
    {
        if (await UserStore.TakenFieldAsync(tx, row).ConfigureAwait(false) is not null)
            throw new GatewayException(ErrorCode.OperationFailed, Failures.AlreadyRegistered);
        if (tag is not null)
        {
            var referrer = await AffiliateTagStore.FindAsync(tx, tag).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"affiliate tag '{tag}' does not exist");
            row.RefererId = referrer.UserId;
        }
        var id = await UserStore.InsertAsync(tx, row).ConfigureAwait(false);
        foreach (var permission in Settings.Permissions)
            await PermissionStore.GrantAsync(tx, id, permission).ConfigureAwait(false);
        await ConfigWrites.ApplyAsync(tx, configWrites.OfUser(id), config).ConfigureAwait(false);
        tx.AuditCreation(AuditStates.User(id));
        tx.Change = $"user {id} '{row.UserName}' registered";
        return id;
    }

    // UserConfig is optional here; given, it follows the config calls' rules, counted against the user's key limit before
    // anything is parsed, and a protected key is an operator's to set: a registration has none.
    private IReadOnlyList<ConfigEntry> Config(JsonElement? given)
    {
        if (given is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value || value is { ValueKind: JsonValueKind.Array } && value.GetArrayLength() == 0)
            return [];
        var limit = options.Value.Limits.ConfigKeysPerUser;
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > limit)
            throw new GatewayException(ErrorCode.OperationFailed, $"UserConfig has {value.GetArrayLength()} keys; the limit is {limit}");
        var config = configKeys.Parse(value, "UserConfig");
        configKeys.EnsureMayWrite(config.Select(e => e.Key), mayWriteProtected: false);
        return config;
    }

    // The hash runs in a slot of the password gate, so a flood of sign-ups can never take every core.
    private async Task<string> HashAsync(string password, CancellationToken ct)
    {
        using var slot = await gate.EnterAsync(ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);
        return await PasswordGate.RunAsync(() => hasher.Hash(password)).ConfigureAwait(false);
    }
}
