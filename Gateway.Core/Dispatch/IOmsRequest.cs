namespace Gateway.Core.Dispatch;

/// <summary>A request that carries <c>OMSId</c>; the dispatcher refuses (104) any OMS but the one this gateway hosts.</summary>
public interface IOmsRequest
{
    /// <summary>The OMS the request is for; absent or 0 means 1.</summary>
    int? OMSId { get; }
}
