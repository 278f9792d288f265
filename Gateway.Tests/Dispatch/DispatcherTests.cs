using System.Collections.Concurrent;
using System.Text;
using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Dispatch;

/// <summary>The dispatcher on its own: a real handler table, a fake transport and an authorizer the test scripts.</summary>
[TestFixture]
public sealed class DispatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private const string Ok = "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}";

    private ServiceProvider _services = null!;
    private HandlerRegistry _registry = null!;
    private FakeAuthorizer _authorizer = null!;
    private FakeConnection _connection = null!;
    private Dispatcher _dispatcher = null!;

    [OneTimeSetUp]
    public void FreezeRegistry()
    {
        _services = new ServiceCollection().BuildServiceProvider();
        var handlers = new HandlerRegistryBuilder();
        TestHandlers.AddTo(handlers);
        _registry = handlers.Freeze(_services);
    }

    [OneTimeTearDown]
    public void DisposeServices() => _services.Dispose();

    [SetUp]
    public void NewDispatcher()
    {
        _authorizer = new FakeAuthorizer();
        _connection = new FakeConnection();
        _dispatcher = new Dispatcher(_registry, _authorizer, TimeProvider.System, Options.Create(new GatewayOptions()), TestMetrics.Create(), NullLogger<Dispatcher>.Instance);
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_UnknownFunction_AnswersUnknownFunction106(CancellationToken ct)
    {
        var outcome = await _dispatcher.CallAsync("NoSuchCall", Utf8("{}"), _connection, 2, ct);

        Assert.That(outcome.Status, Is.EqualTo(CallStatus.UnknownFunction));
        Assert.That(outcome.Code, Is.EqualTo(ErrorCode.OperationNotSupported));
        Assert.That(Text(outcome), Is.EqualTo(Failure(106, "Operation Not Supported", "Endpoint Not Found: NoSuchCall")));
        Assert.That(_authorizer.Asked, Is.Empty, "the authorizer was asked about a function that does not exist");
    }

    [Test, CancelAfter(10_000)]
    public async Task DispatchAsync_UnknownFunction_WritesErrorFrameEchoingIAndN(CancellationToken ct)
    {
        var reply = await DispatchAsync(new Frame(MessageType.Request, 42, "noSuchCALL", Utf8("{}")), ct);

        Assert.That((reply.M, reply.I, reply.N), Is.EqualTo((5, 42L, "noSuchCALL")));
        Assert.That(reply.O, Is.EqualTo(Failure(106, "Operation Not Supported", "Endpoint Not Found: noSuchCALL")));
    }

    [TestCase("TestEcho")]
    [TestCase("testecho")]
    [TestCase("TESTECHO")]
    [TestCase("tEsTeChO")]
    [CancelAfter(10_000)]
    public async Task DispatchAsync_NameInAnyCase_RunsTheHandlerAndEchoesTheNameAsSent(string name, CancellationToken ct)
    {
        var reply = await DispatchAsync(new Frame(MessageType.Request, 7, name, Utf8("{\"UserId\":3,\"UserName\":\"ann\"}")), ct);

        Assert.That((reply.M, reply.I, reply.N), Is.EqualTo((1, 7L, name)));
        Assert.That(reply.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(3));
        Assert.That(reply.Payload.GetProperty("UserName").GetString(), Is.EqualTo("ann"));
        Assert.That(_authorizer.Asked.Single().Name, Is.EqualTo("TestEcho"), "the authorizer decides on the canonical name");
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_HandlerThrows_Answers102WithTheFixedTextOnly(CancellationToken ct)
    {
        var outcome = await _dispatcher.CallAsync("TestThrow", Utf8("{}"), _connection, 2, ct);

        Assert.That(outcome.Status, Is.EqualTo(CallStatus.Answered));
        Assert.That(outcome.Code, Is.EqualTo(ErrorCode.ServerError));
        Assert.That(Text(outcome), Is.EqualTo(Failure(102, "Server Error", Failures.ServerFault)));
        Assert.That(Text(outcome), Does.Not.Contain(ThrowHandler.SecretText).And.Not.Contain(nameof(InvalidOperationException)));
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_HandlerThrowsGatewayException_AnswersItsCodeAndDetail(CancellationToken ct)
    {
        var outcome = await _dispatcher.CallAsync("TestFail", Utf8("{\"Code\":104}"), _connection, 2, ct);

        Assert.That(outcome.Status, Is.EqualTo(CallStatus.Answered));
        Assert.That(outcome.Code, Is.EqualTo(ErrorCode.ResourceNotFound));
        Assert.That(Text(outcome), Is.EqualTo(Failure(104, "Resource Not Found", "failing with 104 on purpose")));
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_AuthorizerAllows_RunsTheHandlerOnce(CancellationToken ct)
    {
        var key = Guid.NewGuid().ToString("N");

        var outcome = await _dispatcher.CallAsync("TestCount", Utf8($"{{\"Gate\":\"{key}\"}}"), _connection, 2, ct);

        Assert.That(Text(outcome), Is.EqualTo(Ok));
        Assert.That(CountHandler.RunsOf(key), Is.EqualTo(1));
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_AuthorizerRefuses_Answers20AndTheHandlerNeverRuns(CancellationToken ct)
    {
        var key = Guid.NewGuid().ToString("N");
        _authorizer.Refuse("TestCount", new GatewayException(ErrorCode.NotAuthorized, "TestCount needs one of these permissions: Operator, TestCount"));

        var outcome = await _dispatcher.CallAsync("TestCount", Utf8($"{{\"Gate\":\"{key}\"}}"), _connection, 2, ct);

        Assert.That(outcome.Status, Is.EqualTo(CallStatus.Answered));
        Assert.That(outcome.Code, Is.EqualTo(ErrorCode.NotAuthorized));
        Assert.That(Text(outcome), Is.EqualTo(Failure(20, "Not Authorized", "TestCount needs one of these permissions: Operator, TestCount")));
        Assert.That(CountHandler.RunsOf(key), Is.Zero, "the handler ran although the authorizer refused the call");
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_NoSessionRefusal_EndsNotLoggedIn(CancellationToken ct)
    {
        _authorizer.Refuse("TestPrivate", Failures.NoSession());

        var outcome = await _dispatcher.CallAsync("TestPrivate", Utf8("{}"), _connection, 2, ct);

        Assert.That(outcome.Status, Is.EqualTo(CallStatus.NotLoggedIn));
        Assert.That(outcome.Code, Is.EqualTo(ErrorCode.NotAuthorized));
        Assert.That(Text(outcome), Is.EqualTo(Failure(20, "Not Authorized", "Not logged in")));
    }

    [Test, CancelAfter(20_000)]
    public async Task CallAsync_SlowCallRunning_ALaterCallCompletesFirst(CancellationToken ct)
    {
        var gate = Guid.NewGuid().ToString("N");
        // Both calls start on the pool, so a dispatcher that blocked would fail the deadline rather than hang the test.
        var slow = Task.Run(() => _dispatcher.CallAsync("TestSlow", Utf8($"{{\"Gate\":\"{gate}\"}}"), _connection, 2, ct).AsTask(), ct);
        await Poll.UntilAsync(() => !_authorizer.Asked.IsEmpty, Deadline, "the slow call never reached the authorizer", ct);

        var fast = await Task.Run(() => _dispatcher.CallAsync("TestEcho", Utf8("{\"UserId\":5}"), _connection, 4, ct).AsTask(), ct).WaitAsync(Deadline, ct);

        Assert.That(fast.Code, Is.EqualTo(ErrorCode.None));
        Assert.That(slow.IsCompleted, Is.False, "the slow call answered before its gate opened");
        SlowHandler.Open(gate);
        Assert.That(Text(await slow.WaitAsync(Deadline, ct)), Is.EqualTo(Ok));
    }

    [Test, CancelAfter(10_000)]
    public async Task CallAsync_StringOverTheLimit_Answers100BeforeTheAuthorizerIsAsked(CancellationToken ct)
    {
        var limit = new GatewayOptions().Limits.MaxStringLength;
        var key = new string('k', limit + 1);

        var outcome = await _dispatcher.CallAsync("TestCount", Utf8($"{{\"Gate\":\"{key}\"}}"), _connection, 2, ct);

        Assert.That(outcome.Code, Is.EqualTo(ErrorCode.InvalidRequest));
        Assert.That(Text(outcome), Is.EqualTo(Failure(100, "Invalid Request", $"Gate is {limit + 1} characters long; the limit is {limit}")));
        Assert.That(_authorizer.Asked, Is.Empty, "the authorizer was asked before the payload's strings were checked");
        Assert.That(CountHandler.RunsOf(key), Is.Zero);
    }

    [Test, CancelAfter(10_000)]
    public async Task RunAsync_DescriptorNotInTheRegistry_AsksTheAuthorizerAboutThatDescriptor(CancellationToken ct)
    {
        var resource = new CallDescriptor("accountUsers", Access.Scoped(PermissionNames.Trading));
        Assert.That(_registry.TryGet(resource.Name, out _), Is.False, "the resource must not be a function of the table");
        var call = new CallContext { Connection = _connection, Function = resource.Name };

        var result = await _dispatcher.RunAsync(resource, call, 21, static (state, _, _) => ValueTask.FromResult(state * 2), ct);

        Assert.That(_authorizer.Asked.Single(), Is.SameAs(resource));
        Assert.That((result.Value, result.Failure), Is.EqualTo((42, (GatewayException?)null)));
    }

    [Test, CancelAfter(10_000)]
    public async Task RunAsync_AuthorizerRefusesTheResource_FailsWithTheRefusalAndTheWorkNeverRuns(CancellationToken ct)
    {
        var resource = new CallDescriptor("accountUsers", Access.Operator);
        _authorizer.Refuse(resource.Name, new GatewayException(ErrorCode.NotAuthorized, "accountUsers needs one of these permissions: Operator"));
        var call = new CallContext { Connection = _connection, Function = resource.Name };
        var runs = 0;

        var result = await _dispatcher.RunAsync(resource, call, 0, (_, _, _) => ValueTask.FromResult(++runs), ct);

        Assert.That(result.Failure?.Code, Is.EqualTo(ErrorCode.NotAuthorized));
        Assert.That(result.Failure?.Detail, Is.EqualTo("accountUsers needs one of these permissions: Operator"));
        Assert.That(runs, Is.Zero);
    }

    [Test, CancelAfter(10_000)]
    public async Task RunAsync_WorkFaults_FailsWith102AndTheFixedText(CancellationToken ct)
    {
        var resource = new CallDescriptor("accountUsers", Access.Operator);
        var call = new CallContext { Connection = _connection, Function = resource.Name };

        var result = await _dispatcher.RunAsync<int, int>(resource, call, 0, static (_, _, _) => throw new InvalidOperationException(ThrowHandler.SecretText), ct);

        Assert.That(result.Value, Is.Zero);
        Assert.That(result.Failure, Is.Not.Null);
        Assert.That((result.Failure!.Code, result.Failure.Detail), Is.EqualTo((ErrorCode.ServerError, Failures.ServerFault)));
        Assert.That(result.Failure.Unauthenticated, Is.False);
    }

    private async Task<ReplyFrame> DispatchAsync(Frame frame, CancellationToken ct)
    {
        using var output = new PooledBufferWriter();
        await _dispatcher.DispatchAsync(frame, _connection, output, ct);
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        return ReplyFrame.TryParse(text) ?? throw new AssertionException($"the dispatcher wrote something that is not a frame: {text}");
    }

    private static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static string Text(CallOutcome outcome) => Encoding.UTF8.GetString(outcome.Payload);

    private static string Failure(int code, string errorMsg, string detail) =>
        $"{{\"result\":false,\"errormsg\":\"{errorMsg}\",\"errorcode\":{code},\"detail\":\"{detail}\"}}";

    /// <summary>Allows every call except those the test refuses by name; remembers what it was asked about.</summary>
    private sealed class FakeAuthorizer : ICallAuthorizer
    {
        private readonly ConcurrentDictionary<string, GatewayException> _refusals = new(StringComparer.Ordinal);

        public ConcurrentQueue<CallDescriptor> Asked { get; } = new();

        public void Refuse(string name, GatewayException refusal) => _refusals[name] = refusal;

        public ValueTask AuthorizeAsync(CallDescriptor target, CallContext call, CancellationToken ct)
        {
            Asked.Enqueue(target);
            return _refusals.TryGetValue(target.Name, out var refusal) ? ValueTask.FromException(refusal) : ValueTask.CompletedTask;
        }
    }
}
