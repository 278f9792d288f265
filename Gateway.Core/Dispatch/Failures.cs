using System.Buffers;
using System.Text.Json;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;

namespace Gateway.Core.Dispatch;

/// <summary>
/// The one place that decides what a client sees when something fails: the errormsg of each errorcode, the fixed
/// details every transport shares, the texts of a refused login, and the bytes of a failure reply.
/// </summary>
public static class Failures
{
    /// <summary>The detail of every errorcode 102: fixed, so no exception text, SQL or path reaches a client.</summary>
    public const string ServerFault = "The gateway hit an unexpected error and logged it; try again, and report it if it persists";

    /// <summary>The detail of a request refused by a rate limit (the socket's, or failed logins from one address).</summary>
    public const string RateLimited = "Rate limit exceeded";

    /// <summary>The detail of a private call made without a session.</summary>
    public const string NotLoggedIn = "Not logged in";

    /// <summary>The same text for an unknown user and a wrong password (and a bad signature or code).</summary>
    public const string InvalidCredentials = "Invalid username or password";

    /// <summary>The text for a locked user, whatever password it sent.</summary>
    public const string Locked = "User is locked; an operator can unlock it, or it unlocks when the lock period ends";

    /// <summary>The text for a replayed (APIKey, Nonce) pair.</summary>
    public const string Replayed = "This Nonce was already used with this APIKey; sign again with a new one";

    /// <summary>The text for a session token that resumes nothing.</summary>
    public const string UnknownToken = "Session token is unknown or expired; log in with a password";

    /// <summary>The text for API-key headers that opened no session over HTTP.</summary>
    public const string BadKeyHeaders = "The API-key headers were refused: check APIKey, UserId, Nonce and the Signature over Nonce + UserId + APIKey";

    /// <summary>The detail of a binary WebSocket message.</summary>
    public const string NotText = "Only text frames are accepted";

    /// <summary>The detail of <c>/AP/Authenticate</c> without an <c>Authorization: Basic</c> header.</summary>
    public const string BasicCredentialsNeeded = "Authenticate needs HTTP Basic credentials";

    /// <summary>The answer to a plain HTTP request at the WebSocket endpoint (400).</summary>
    public const string NotWebSocket = "This endpoint speaks WebSocket: connect with ws://host/WSGateway";

    /// <summary>The answer to an upgrade from a browser origin that is not allowed (403).</summary>
    public const string OriginRefused = "This Origin may not open a WebSocket here";

    /// <summary>The answer to an upgrade over the open-socket cap (503).</summary>
    public const string TooManySockets = "Too many open sockets; try again later";

    /// <summary>The detail of a public call (a registration, a reset) made with a ClientRequestId but no session.</summary>
    public const string RequestIdNeedsSession = "ClientRequestId needs a logged-in session";

    /// <summary>The detail of a call turned off by its setting (RegisterNewUser while registration is off).</summary>
    public static string Disabled(string function) => $"{function} is disabled on this gateway";

    /// <summary>The detail of a password-carrying call sent with its keys in a URL.</summary>
    public static string NotOverGet(string function) => $"{function} is not available over GET";

    /// <summary>The detail of ResetPassword2 with a code that is unknown, wrong, used, voided or expired, or for an unknown user.</summary>
    public const string BadResetCode = "reset code is invalid or has expired";

    /// <summary>The detail of a registration whose UserName or Email is taken: the same for both.</summary>
    public const string AlreadyRegistered = "UserName or Email is already registered";

    /// <summary>The detail of an HTTP body over the message size limit (413).</summary>
    public static string BodyTooLarge(int limit) => $"The body is larger than {limit} bytes";

    private static readonly byte[] RateLimitedBytes = Payload(ErrorCode.OperationFailed, RateLimited);

    /// <summary>The standard response of errorcode 101 <see cref="RateLimited"/>, serialized once.</summary>
    public static ReadOnlySpan<byte> RateLimitedPayload => RateLimitedBytes;

    /// <summary>The exact errormsg clients match for <paramref name="code"/>; deployed gateways spell 100 "Invalid Request".</summary>
    public static string ErrorMsg(ErrorCode code) => code switch
    {
        ErrorCode.NotAuthorized => "Not Authorized",
        ErrorCode.InvalidRequest => "Invalid Request",
        ErrorCode.OperationFailed => "Operation Failed",
        ErrorCode.ServerError => "Server Error",
        ErrorCode.ResourceNotFound => "Resource Not Found",
        ErrorCode.OperationNotSupported => "Operation Not Supported",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "no errormsg for this code"),
    };

    /// <summary>No function name is longer; a longer one is not echoed whole.</summary>
    public const int MaxFunctionName = 128;

    /// <summary>The detail of an unknown function name; a name longer than any function's is named by its length, not echoed.</summary>
    public static string UnknownFunction(string function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Length <= MaxFunctionName
            ? $"Endpoint Not Found: {function}"
            : $"Endpoint Not Found: a function name has at most {MaxFunctionName} characters, this one has {function.Length}";
    }

    /// <summary>The <c>n</c> an error frame echoes: the name as sent, cut to <see cref="MaxFunctionName"/> characters.</summary>
    public static string EchoedName(string function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Length <= MaxFunctionName ? function : function[..MaxFunctionName];
    }

    /// <summary>The standard failure response for <paramref name="code"/>.</summary>
    public static StandardResponse Response(ErrorCode code, string detail) => new()
    {
        Result = false,
        ErrorMsg = ErrorMsg(code),
        ErrorCode = (int)code,
        Detail = detail,
    };

    /// <summary>The standard failure response as UTF-8 JSON.</summary>
    public static byte[] Payload(ErrorCode code, string detail) =>
        JsonSerializer.SerializeToUtf8Bytes(Response(code, detail), GatewayJson.Context.StandardResponse);

    /// <summary>An m=5 error frame (the request never reached a handler) carrying the standard failure response.</summary>
    public static void WriteErrorFrame(IBufferWriter<byte> output, long sequence, string function, ErrorCode code, string detail) =>
        FrameWriter.Write(output, MessageType.Error, sequence, function, Payload(code, detail));

    /// <summary>The errormsg of a login that opened no session.</summary>
    public static string LoginText(LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.Locked => Locked,
        LoginOutcome.Replayed => Replayed,
        LoginOutcome.Throttled => RateLimited,
        _ => InvalidCredentials,
    };

    /// <summary>The refusal of a private call without a live session; HTTP answers it with 401.</summary>
    public static GatewayException NoSession(string detail = NotLoggedIn) =>
        new(ErrorCode.NotAuthorized, detail) { Unauthenticated = true };
}
