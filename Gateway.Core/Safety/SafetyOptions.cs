namespace Gateway.Core.Safety;

/// <summary>The <c>Gateway:Safety</c> section: how long ClientRequestIds are remembered (protocol.md section 9).</summary>
public sealed class SafetyOptions
{
    /// <summary>Hours a stored reply answers repeats of its (UserId, ClientRequestId); after that the id may be used again.</summary>
    public double ClientRequestIdHours { get; set; } = 24;

    /// <summary>Minutes between sweeps that delete stored replies older than <see cref="ClientRequestIdHours"/>.</summary>
    public double ClientRequestSweepMinutes { get; set; } = 10;

    /// <summary>
    /// A test hook, never set in production: the process kills itself (SIGKILL) right after the commit of a call made
    /// with this ClientRequestId, before its reply is sent, so a test can show that the repeat answers the stored reply.
    /// </summary>
    public string? CrashAfterCommitOf { get; set; }
}
