namespace Gateway.Core.Dispatch;

/// <summary>
/// Something a client can call, as the authorizer sees it: a name and who may call it. Every function of the handler
/// table is one, and so is each operation of an HTTP resource, so one authorizer decides for every path.
/// </summary>
/// <param name="name">The canonical name, also the name its audit records carry.</param>
/// <param name="requires">Who may call it.</param>
public class CallDescriptor(string name, Access requires)
{
    /// <summary>The canonical name.</summary>
    public string Name { get; } = name;

    /// <summary>Who may call it.</summary>
    public Access Requires { get; } = requires;

    /// <inheritdoc />
    public override string ToString() => Name;
}
