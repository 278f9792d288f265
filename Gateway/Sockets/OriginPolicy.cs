namespace Gateway.Sockets;

/// <summary>
/// Which browser pages may open a socket. Browsers always send Origin; other clients usually send none and are allowed.
/// A page served from the gateway's own host is allowed; any other origin only when listed (or the list holds <c>*</c>).
/// </summary>
internal static class OriginPolicy
{
    public static bool Allows(HttpRequest request, IList<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return true;
        if (allowed.Any(a => a == "*" || string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)))
            return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
