namespace Gateway.Core.Dispatch;

/// <summary>
/// The payload of a call that carries a password: over HTTP it must come in a POST body, since a URL ends up in proxy
/// and access logs. <c>GET /AP/{Name}</c> answers 106 <c>&lt;Name&gt; is not available over GET</c>.
/// </summary>
public interface IPostOnlyRequest;
