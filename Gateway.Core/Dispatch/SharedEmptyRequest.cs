using System.Reflection;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Dispatch;

/// <summary>
/// The one request a type binds to from <c>{}</c>, shared by every call that sends no keys, so the most frequent calls
/// (GetUserAccounts, Ping...) allocate no request. Only for a type nothing can change once it is bound: every instance
/// field readonly or behind an init-only property, each of an immutable value type or string. Any other type gets null
/// here and a new instance per call.
/// </summary>
internal static class SharedEmptyRequest<TRequest> where TRequest : class, new()
{
    /// <summary>The shared instance, or null when <typeparamref name="TRequest"/> could be changed after binding.</summary>
    public static readonly TRequest? Instance = SharedEmptyRequest.CannotChange(typeof(TRequest)) ? new TRequest() : null;
}

internal static class SharedEmptyRequest
{
    private const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>True when no code outside an object initializer can change an instance of <paramref name="type"/>.</summary>
    public static bool CannotChange(Type type)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var property in current.GetProperties(Instance | BindingFlags.DeclaredOnly))
            {
                if (property.SetMethod is { } setter && !IsInitOnly(setter))
                    return false;
            }
            foreach (var field in current.GetFields(Instance | BindingFlags.DeclaredOnly))
            {
                if (!IsImmutableValue(field.FieldType) || !(field.IsInitOnly || IsInitOnlyBackingField(current, field)))
                    return false;
            }
        }
        return true;
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    // An auto-property's backing field is named <Name>k__BackingField.
    private static bool IsInitOnlyBackingField(Type type, FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
        && type.GetProperty(field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)], Instance | BindingFlags.DeclaredOnly) is { SetMethod: { } setter }
        && IsInitOnly(setter);

    private static bool IsImmutableValue(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal);
    }
}
