using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Handlers.Service;
using Gateway.Core.Protocol;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Dispatch;

[TestFixture]
public sealed class HandlerRegistryTests
{
    private static ServiceProvider Services(HandlerRegistryBuilder? handlers = null) => new ServiceCollection()
        .AddLogging()
        .AddMetrics()
        .AddOptions()
        .AddGatewayCore(handlers ?? HandlerCatalog.Create(), Path.Combine(Path.GetTempPath(), "gateway-registry-tests"))
        .BuildServiceProvider();

    [Test]
    public async Task Freeze_TwoHandlersWithOneName_FailsNamingIt()
    {
        await using var services = Services();
        var builder = HandlerCatalog.Create()
            .Add<PingHandler, EmptyRequest, PingResponse>(HandlerJson.Context.EmptyRequest, HandlerJson.Context.PingResponse);
        var error = Assert.Throws<InvalidOperationException>(() => builder.Freeze(services));
        Assert.That(error!.Message, Does.Contain("'Ping'"));
    }

    [Test]
    public async Task TryGet_NameInAnyCase_FindsTheHandler()
    {
        await using var services = Services();
        var registry = HandlerCatalog.Create().Freeze(services);
        Assert.That(registry.TryGet("hEaLtHcHeCk", out var handler), Is.True);
        Assert.That(handler!.Name, Is.EqualTo("HealthCheck"));
        Assert.That(registry.TryGet("Nope", out _), Is.False);
    }

    [Test]
    public async Task Catalog_EveryHandler_DeclaresWhoMayCallIt()
    {
        var builder = HandlerCatalog.Create();
        TestHandlers.AddTo(builder);
        await using var services = Services(builder);
        foreach (var handler in builder.Freeze(services).All)
            Assert.That(handler.Requires, Is.Not.Null, handler.Name);
    }
}
