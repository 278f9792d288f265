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
        if (string.IsNullOrEmpty(configured))
        {
            FilePath = Path.Combine(Path.GetDirectoryName(database.Path)!, "gateway.key");
            _key = LoadOrCreate(FilePath);
        }
        else
        {
            _key = Decode(configured) ?? throw new InvalidOperationException("Gateway:Security:MasterKey must be at least 32 bytes, base64 encoded.");
        }
    }

    /// <summary>The absolute path of the key file, or null when the key comes from <c>Gateway:Security:MasterKey</c>.</summary>
    public string? FilePath { get; }

    /// <summary>The API secret of <paramref name="apiKey"/>: 64 hex characters, the same every time.</summary>
    public string ApiSecret(string apiKey) => Convert.ToHexStringLower(Derive("api-secret/" + apiKey));

    /// <summary>The 20-byte TOTP seed of a user's enrolment.</summary>
    public byte[] TotpSeed(int userId, byte[] salt) => Derive($"totp/{userId}/{Convert.ToBase64String(salt)}")[..20];

    /// <summary>A 32-byte key of its own for <paramref name="purpose"/> (sealing stored replies, say), derived like the rest.</summary>
    public byte[] Subkey(string purpose) => Derive("subkey/" + purpose);

    private byte[] Derive(string purpose) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose));

    /// <summary>True when <paramref name="text"/> is base64 of at least 32 bytes, as a configured key must be.</summary>
    public static bool IsWellFormed(string text) => Decode(text) is not null;

    // Null when the text is not base64 of at least 32 bytes.
    private static byte[]? Decode(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var length) && length >= 32 ? buffer[..length] : null;
    }

    // Every failure names the file, so the host can stop the start with one line.
    private static byte[] LoadOrCreate(string path)
    {
        if (Directory.Exists(path))
            throw new IOException($"key file {path} is a folder, not a file");
        string? text;
        try
        {
            text = File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"key file {path} cannot be read: {e.Message}", e);
        }
        if (text is not null)
            return Decode(text) ?? throw new InvalidDataException($"key file {path} does not hold a base64 key of at least 32 bytes");

        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = Database.OwnerOnly;
        try
        {
            using var file = new StreamWriter(path, Encoding.ASCII, options);
            file.Write(Convert.ToBase64String(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"key file {path} cannot be created: {e.Message}", e);
        }
        return key;
    }
}
