namespace Gateway.Core.Sessions;

/// <summary>A user whose password was accepted and who must send a TOTP code on the same socket before <paramref name="Expires"/>.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Expires">When the wait ends.</param>
public sealed record PendingSecondFactor(int UserId, DateTimeOffset Expires);
