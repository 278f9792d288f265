using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers;

/// <summary>The payload of calls that take no keys; any keys sent are ignored, but an OMSId must be this gateway's.</summary>
public sealed class EmptyRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
}
