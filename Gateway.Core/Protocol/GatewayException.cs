namespace Gateway.Core.Protocol;

/// <summary>An expected failure of a call: becomes a <c>result:false</c> reply with this code and detail.</summary>
public sealed class GatewayException : Exception
{
    /// <summary>Creates the failure; <paramref name="detail"/> is shown to the client and must say what to fix.</summary>
    public GatewayException(ErrorCode code, string detail) : base(detail)
    {
        if (code == ErrorCode.None)
            throw new ArgumentOutOfRangeException(nameof(code), "a failure needs a non-zero errorcode");
        Code = code;
        Detail = detail;
    }

    /// <summary>The errorcode sent to the client.</summary>
    public ErrorCode Code { get; }

    /// <summary>The words sent to the client in <c>detail</c>.</summary>
    public string Detail { get; }

    /// <summary>True when the call was refused for want of a live session (HTTP answers 401, not 200 or 403).</summary>
    public bool Unauthenticated { get; init; }

    /// <summary>Extra members a transport may show beside the detail (the accountUsers resource's 409 lists <c>accountIds</c>).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }
}
