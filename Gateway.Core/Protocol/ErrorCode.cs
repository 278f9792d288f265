namespace Gateway.Core.Protocol;

/// <summary>The errorcodes of the standard response (protocol.md section 3).</summary>
public enum ErrorCode
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>Not logged in, lacking the permission, or targeting another user's data.</summary>
    NotAuthorized = 20,
    /// <summary>A key missing, a wrong type, a value out of range, contradictory keys.</summary>
    InvalidRequest = 100,
    /// <summary>A valid request that cannot be done.</summary>
    OperationFailed = 101,
    /// <summary>An unexpected fault.</summary>
    ServerError = 102,
    /// <summary>A referenced row does not exist.</summary>
    ResourceNotFound = 104,
    /// <summary>The function does not exist or is not available on this transport.</summary>
    OperationNotSupported = 106,
}
