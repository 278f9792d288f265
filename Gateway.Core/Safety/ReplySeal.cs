using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Sessions;

namespace Gateway.Core.Safety;

/// <summary>
/// What is kept of a repeat-safe call: its request only as an HMAC of the function and canonical payload (a password
/// in the payload is never stored), its reply sealed with AES-GCM (a reply may show an API secret or a TOTP seed once,
/// and the database must not hold them). Both keys are derived from the master key.
/// </summary>
public sealed class ReplySeal(MasterKey masterKey)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _hashKey = masterKey.Subkey("client-request-hash");
    private readonly byte[] _sealKey = masterKey.Subkey("client-request-reply");

    // AesGcm is not documented as safe for concurrent use: one per thread, made once.
    [ThreadStatic]
    private static (byte[] Key, AesGcm Aes)? t_aes;

    /// <summary>The keyed hash two requests are compared by: same function, same canonical payload without ClientRequestId.</summary>
    public byte[] RequestHash(string function, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(function);
        var canonical = CanonicalJson.Write(payload, "ClientRequestId");
        var message = new byte[Encoding.UTF8.GetByteCount(function) + 1 + canonical.Length];
        var at = Encoding.UTF8.GetBytes(function, message);
        message[at] = (byte)'\n';
        canonical.CopyTo(message, at + 1);
        return HMACSHA256.HashData(_hashKey, message);
    }

    /// <summary>The reply sealed for storage: nonce, tag, ciphertext.</summary>
    public byte[] Seal(ReadOnlySpan<byte> reply)
    {
        var box = new byte[NonceBytes + TagBytes + reply.Length];
        var nonce = box.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        Aes().Encrypt(nonce, reply, box.AsSpan(NonceBytes + TagBytes), box.AsSpan(NonceBytes, TagBytes));
        return box;
    }

    /// <summary>The reply a <see cref="Seal"/> box holds; throws when the box was altered or sealed with another key.</summary>
    public byte[] Open(byte[] box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var reply = new byte[box.Length - NonceBytes - TagBytes];
        Aes().Decrypt(box.AsSpan(0, NonceBytes), box.AsSpan(NonceBytes + TagBytes), box.AsSpan(NonceBytes, TagBytes), reply);
        return reply;
    }

    private AesGcm Aes()
    {
        if (t_aes is not { } cached || !ReferenceEquals(cached.Key, _sealKey))
        {
            t_aes?.Aes.Dispose();
            t_aes = cached = (_sealKey, new AesGcm(_sealKey, TagBytes));
        }
        return cached.Aes;
    }
}
