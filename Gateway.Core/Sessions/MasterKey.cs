using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>
/// The server's master key, from which API secrets and TOTP seeds are derived so that neither is ever stored:
/// <c>Gateway:Security:MasterKey</c> (base64, 32 bytes) when configured, otherwise <c>gateway.key</c> beside the
/// database, created once with owner-only permissions. Losing it invalidates every API key and 2FA enrolment.
/// </summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    /// <summary>Loads or creates the key.</summary>
    public MasterKey(IOptions<GatewayOptions> options, Database database)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        var configured = options.Value.Security.MasterKey;
        _key = string.IsNullOrEmpty(configured) ? LoadOrCreate(Path.Combine(Path.GetDirectoryName(database.Path)!, "gateway.key")) : Decode(configured);
    }

    /// <summary>The API secret of <paramref name="apiKey"/>: 64 hex characters, the same every time.</summary>
    public string ApiSecret(string apiKey) => Convert.ToHexStringLower(Derive("api-secret/" + apiKey));

    /// <summary>The 20-byte TOTP seed of a user's enrolment.</summary>
    public byte[] TotpSeed(int userId, byte[] salt) => Derive($"totp/{userId}/{Convert.ToBase64String(salt)}")[..20];

    /// <summary>A 32-byte key of its own for <paramref name="purpose"/> (sealing stored replies, say), derived like the rest.</summary>
    public byte[] Subkey(string purpose) => Derive("subkey/" + purpose);

    private byte[] Derive(string purpose) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose));

    private static byte[] Decode(string configured)
    {
        var key = Convert.FromBase64String(configured);
        return key.Length >= 32 ? key : throw new InvalidOperationException("Gateway:Security:MasterKey must be at least 32 bytes, base64 encoded.");
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
            return Decode(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = Database.OwnerOnly;
        using (var file = new StreamWriter(path, Encoding.ASCII, options))
            file.Write(Convert.ToBase64String(key));
        return key;
    }
}
