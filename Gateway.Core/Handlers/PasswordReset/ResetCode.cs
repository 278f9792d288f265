using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core.Handlers.PasswordReset;

/// <summary>A reset code: 32 random bytes as unpadded base64url (43 characters), stored only as its SHA-256.</summary>
public static class ResetCode
{
    /// <summary>A new code and its hash.</summary>
    public static (string Code, byte[] Hash) New()
    {
        var code = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (code, Hash(code));
    }

    /// <summary>The SHA-256 of the code's UTF-8 text.</summary>
    public static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));
}
