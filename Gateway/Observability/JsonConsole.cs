using NLog.Config;
using NLog.Layouts;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace Gateway.Observability;

/// <summary>
/// <c>Gateway:Logging:Json=true</c>: every console target of the NLog configuration writes one JSON object per line
/// (NLog's JsonLayout) instead of its text layout, with the text line's fields and each named hole as properties.
/// </summary>
internal static class JsonConsole
{
    public const string Setting = "Gateway:Logging:Json";

    public static void Apply(LoggingConfiguration config)
    {
        foreach (var target in config.AllTargets)
        {
            var inner = target;
            while (inner is WrapperTargetBase wrapper)
                inner = wrapper.WrappedTarget;
            if (inner is ConsoleTarget console)
                console.Layout = Layout();
        }
    }

    public static JsonLayout Layout()
    {
        var layout = new JsonLayout { IncludeEventProperties = true, MaxRecursionLimit = 1 };
        layout.Attributes.Add(new JsonAttribute("time", "${date:universalTime=true:format=o}"));
        layout.Attributes.Add(new JsonAttribute("level", "${level:uppercase=true}"));
        layout.Attributes.Add(new JsonAttribute("logger", "${logger}"));
        layout.Attributes.Add(new JsonAttribute("message", "${message}"));
        layout.Attributes.Add(new JsonAttribute("exception", "${exception:format=tostring}"));
        return layout;
    }
}
