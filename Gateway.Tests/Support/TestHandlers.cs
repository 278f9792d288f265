using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;

namespace Gateway.Tests.Support;

/// <summary>Calls that exist only in test hosts, to drive the dispatcher and socket loop through every path.</summary>
public static class TestHandlers
{
    public static void AddTo(HandlerRegistryBuilder handlers)
    {
        var json = TestJson.Context;
        handlers
            .Add<EchoHandler, EchoPayload, EchoPayload>(json.EchoPayload, json.EchoPayload)
            .Add<FailHandler, FailRequest, StandardResponse>(json.FailRequest, GatewayJson.Context.StandardResponse)
            .Add<ThrowHandler, FailRequest, StandardResponse>(json.FailRequest, GatewayJson.Context.StandardResponse)
            .Add<SlowHandler, SlowRequest, StandardResponse>(json.SlowRequest, GatewayJson.Context.StandardResponse)
            .Add<PrivateHandler, FailRequest, StandardResponse>(json.FailRequest, GatewayJson.Context.StandardResponse)
            .Add<CountHandler, SlowRequest, StandardResponse>(json.SlowRequest, GatewayJson.Context.StandardResponse);
    }
}

public sealed class EchoPayload
{
    public int UserId { get; set; }
    public string? UserName { get; set; }
    public bool Flag { get; set; }
    public long Big { get; set; }
}

public sealed class FailRequest
{
    public int Code { get; set; }
}

public sealed class SlowRequest
{
    public string Gate { get; set; } = "";
}

/// <summary>Answers its payload back, to show how keys are bound.</summary>
public sealed class EchoHandler : IHandler<EchoPayload, EchoPayload>
{
    public static string Name => "TestEcho";
    public static Access Requires => Access.Public;
    public static CallKind Kind => CallKind.Read;
    public ValueTask<EchoPayload> HandleAsync(EchoPayload request, CallContext call, CancellationToken ct) => ValueTask.FromResult(request);
}

/// <summary>Fails with the errorcode it is given (0 succeeds).</summary>
public sealed class FailHandler : IHandler<FailRequest, StandardResponse>
{
    public static string Name => "TestFail";
    public static Access Requires => Access.Public;
    public static CallKind Kind => CallKind.Read;
    public ValueTask<StandardResponse> HandleAsync(FailRequest request, CallContext call, CancellationToken ct) =>
        request.Code == 0 ? ValueTask.FromResult(StandardResponse.Ok) : throw new GatewayException((ErrorCode)request.Code, $"failing with {request.Code} on purpose");
}

/// <summary>Throws an unexpected exception whose text must never reach the wire.</summary>
public sealed class ThrowHandler : IHandler<FailRequest, StandardResponse>
{
    public const string SecretText = "SELECT password FROM users at /srv/secret/path.db";
    public static string Name => "TestThrow";
    public static Access Requires => Access.Public;
    public static CallKind Kind => CallKind.Read;
    public ValueTask<StandardResponse> HandleAsync(FailRequest request, CallContext call, CancellationToken ct) =>
        throw new InvalidOperationException(SecretText);
}

/// <summary>Waits until the test opens its named gate.</summary>
public sealed class SlowHandler : IHandler<SlowRequest, StandardResponse>
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static string Name => "TestSlow";
    public static Access Requires => Access.Public;
    public static CallKind Kind => CallKind.Read;

    public static void Open(string gate) => Gate(gate).TrySetResult();

    public async ValueTask<StandardResponse> HandleAsync(SlowRequest request, CallContext call, CancellationToken ct)
    {
        await Gate(request.Gate).Task.WaitAsync(ct);
        return StandardResponse.Ok;
    }

    private static TaskCompletionSource Gate(string name) =>
        Gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Counts how often it ran for each <c>Gate</c> key, so a test can prove a call was not run.</summary>
public sealed class CountHandler : IHandler<SlowRequest, StandardResponse>
{
    private static readonly ConcurrentDictionary<string, int> Counts = new();

    public static string Name => "TestCount";
    public static Access Requires => Access.Public;
    public static CallKind Kind => CallKind.Read;

    public static int RunsOf(string key) => Counts.GetValueOrDefault(key);

    public ValueTask<StandardResponse> HandleAsync(SlowRequest request, CallContext call, CancellationToken ct)
    {
        Counts.AddOrUpdate(request.Gate, 1, (_, n) => n + 1);
        return ValueTask.FromResult(StandardResponse.Ok);
    }
}

/// <summary>A call that needs a session, to show the dispatcher's access check.</summary>
public sealed class PrivateHandler : IHandler<FailRequest, StandardResponse>
{
    public static string Name => "TestPrivate";
    public static Access Requires => Access.Operator;
    public static CallKind Kind => CallKind.Read;
    public ValueTask<StandardResponse> HandleAsync(FailRequest request, CallContext call, CancellationToken ct) => ValueTask.FromResult(StandardResponse.Ok);
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(EchoPayload))]
[JsonSerializable(typeof(FailRequest))]
[JsonSerializable(typeof(SlowRequest))]
public sealed partial class TestJsonContext : JsonSerializerContext;

public static class TestJson
{
    public static TestJsonContext Context { get; } = new(new JsonSerializerOptions(TestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
