using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Dispatch;

/// <summary>The name → handler table, frozen before the server listens; names match case-insensitively.</summary>
public sealed class HandlerRegistry
{
    private readonly FrozenDictionary<string, HandlerDescriptor> _handlers;

    internal HandlerRegistry(IEnumerable<HandlerDescriptor> handlers)
    {
        var table = new Dictionary<string, HandlerDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var handler in handlers)
        {
            if (!table.TryAdd(handler.Name, handler))
                throw new InvalidOperationException($"Two handlers are named '{handler.Name}'; function names must be unique.");
            FunctionNames.Keep(handler.Name);
        }
        _handlers = table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every registered call.</summary>
    public IEnumerable<HandlerDescriptor> All => _handlers.Values;

    /// <summary>Finds the call named <paramref name="function"/>, in any casing.</summary>
    public bool TryGet(string function, [NotNullWhen(true)] out HandlerDescriptor? handler) =>
        _handlers.TryGetValue(function, out handler);
}

/// <summary>Collects handler types at start-up; <see cref="Freeze"/> makes the registry.</summary>
public sealed class HandlerRegistryBuilder
{
    private readonly List<Func<IServiceProvider, HandlerDescriptor>> _factories = [];
    private readonly List<(string Name, Access Requires)> _declared = [];

    /// <summary>Every call added so far with who may call it, known before any handler is created.</summary>
    public IReadOnlyList<(string Name, Access Requires)> Declared => _declared;

    /// <summary>Adds one call; its handler is created once, with its dependencies from the container.</summary>
    public HandlerRegistryBuilder Add<THandler, TRequest, TResponse>(JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response)
        where THandler : class, IHandler<TRequest, TResponse>
        where TRequest : class, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        // Deny by default: a handler that does not say who may call it stops start-up.
        var requires = THandler.Requires ?? throw new InvalidOperationException($"{typeof(THandler).Name} does not declare who may call {THandler.Name}.");
        _declared.Add((THandler.Name, requires));
        _factories.Add(services => new HandlerDescriptor<THandler, TRequest, TResponse>(
            ActivatorUtilities.GetServiceOrCreateInstance<THandler>(services), request, response));
        return this;
    }

    /// <summary>Creates every handler and freezes the table; duplicate names fail here, at start-up.</summary>
    public HandlerRegistry Freeze(IServiceProvider services) => new(_factories.Select(create => create(services)));
}
