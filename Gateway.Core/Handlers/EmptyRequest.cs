using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers;

/// <summary>
/// The payload of calls that take no keys; any keys sent are ignored, but an OMSId must be this gateway's.
/// An array payload binds as <c>{}</c>.
/// </summary>
public sealed class EmptyRequest : IKeylessRequest
{
    /// <inheritdoc />
    public int? OMSId { get; init; }
}
