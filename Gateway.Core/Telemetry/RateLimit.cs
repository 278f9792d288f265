namespace Gateway.Core.Telemetry;

/// <summary>Which limit refused a request: the <c>limit</c> tag of <c>gateway.ratelimit.refused</c>.</summary>
public enum RateLimit
{
    /// <summary>A socket's token bucket (errorcode 101): <c>socket</c>.</summary>
    Socket,
    /// <summary>Failed logins per remote address: <c>login</c>.</summary>
    Login,
    /// <summary>Sockets logged in as one user (close 1008): <c>sockets_per_user</c>.</summary>
    SocketsPerUser,
    /// <summary>WebSockets open in all (HTTP 503): <c>open_sockets</c>.</summary>
    OpenSockets,
}

/// <summary>The tag text of each <see cref="RateLimit"/>.</summary>
public static class RateLimitText
{
    /// <summary>The snake_case text metrics carry.</summary>
    public static string Tag(this RateLimit limit) => limit switch
    {
        RateLimit.Socket => "socket",
        RateLimit.Login => "login",
        RateLimit.SocketsPerUser => "sockets_per_user",
        RateLimit.OpenSockets => "open_sockets",
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, "no tag for this limit"),
    };
}
