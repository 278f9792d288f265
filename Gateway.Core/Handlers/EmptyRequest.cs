namespace Gateway.Core.Handlers;

/// <summary>The payload of calls that take no keys; any keys sent are ignored.</summary>
public sealed class EmptyRequest;
