namespace Gateway.Core.Dispatch;

/// <summary>What a call does, as protocol.md section 9 sorts calls: every handler declares one.</summary>
public enum CallKind
{
    /// <summary>Reads only: <c>DryRun</c> and <c>ClientRequestId</c> are ignored.</summary>
    Read,

    /// <summary>Can change state and writes an audit row when it does: takes <c>ClientRequestId</c> and <c>DryRun</c>.</summary>
    Write,

    /// <summary>Opens or ends a session (AuthenticateUser, WebAuthenticateUser, Authenticate2FA, LogOut): no dry run, never a Batch item.</summary>
    Login,

    /// <summary>Runs other calls (<c>Batch</c>): takes <c>ClientRequestId</c> and <c>DryRun</c> for all of them, and is never an item itself.</summary>
    Batch,
}
