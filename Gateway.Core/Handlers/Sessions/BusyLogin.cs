using Gateway.Core.Dispatch;
using Microsoft.Extensions.Logging;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Sessions;

/// <summary>
/// A login call that meets a database kept busy past the writer's budget. Login clients read only <c>Authenticated</c>
/// and <c>errormsg</c>, so the call answers its own failure shape carrying the errorcode-102 detail, not the standard response.
/// </summary>
public static partial class BusyLogin
{
    /// <summary>The <c>errormsg</c> of that answer: the fixed detail of every errorcode 102.</summary>
    public const string ErrorMsg = Failures.ServerFault;

    /// <summary>True for what a write raises when the database stayed busy (see <see cref="DbWriter.IsBusy"/>).</summary>
    public static bool IsBusy(Exception error) => DbWriter.IsBusy(error);

    /// <summary>Logs the refused login (the dispatcher, which logs other faults, never sees this one).</summary>
    public static void Log(ILogger logger, Exception error, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Refused(logger, error, call.Function, call.Sequence, call.Connection.Id);
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Call {Function} i={Sequence} on {ConnectionId} met a busy database; answered Authenticated:false")]
    private static partial void Refused(ILogger logger, Exception exception, string function, long sequence, string connectionId);
}
