using Gateway.Client;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Safety;

/// <summary>
/// Every handler declares its <see cref="CallKind"/>, and the declaration is what protocol.md section 9 relies on: a
/// call marked Write writes an audit row, a call marked Read writes none, and the sample client's list agrees.
/// </summary>
[TestFixture]
public sealed class CallKindTests : AdminFixture
{
    protected override string[] Settings => WriteCallScenarios.HostSettings;

    private static readonly string[] LoginCalls = ["Authenticate2FA", "AuthenticateUser", "LogOut", "WebAuthenticateUser"];
    private static readonly string[] BatchCalls = ["Batch"];

    private IReadOnlyList<HandlerDescriptor> Catalog => Host.App.Services.GetRequiredService<HandlerRegistry>().All
        .Where(h => HandlerCatalog.Create().Declared.Any(d => d.Name == h.Name)).ToList();

    private IEnumerable<string> Of(CallKind kind) => Catalog.Where(h => h.Kind == kind).Select(h => h.Name).Order(StringComparer.Ordinal);

    [Test]
    public void Kinds_TheCatalog_WritesAreTheScenariosAndLoginsTheFourLoginCalls()
    {
        Assert.That(Of(CallKind.Write), Is.EqualTo(WriteCallScenarios.Functions), "every write call needs a scenario in WriteCallScenarios");
        Assert.That(Of(CallKind.Login), Is.EqualTo(LoginCalls));
        Assert.That(Of(CallKind.Batch), Is.EqualTo(BatchCalls));
    }

    [Test]
    public void Kinds_TheSampleClientsList_IsTheWriteCallsAndBatch()
    {
        Assert.That(WriteCalls.Names.Order(StringComparer.Ordinal), Is.EqualTo(Of(CallKind.Write).Append("Batch").Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task WriteCall_EachOneRunForReal_AppendsExactlyOneAuditRowOrNoneWhereTheSpecSaysSo(
        [ValueSource(typeof(WriteCallScenarios), nameof(WriteCallScenarios.Functions))] string function)
    {
        var payload = await WriteCallScenarios.PrepareAsync(function, Admin);
        var before = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync(function, payload);

        Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
        Assert.That(await Audit.CountAsync(Host), Is.EqualTo(before + (WriteCallScenarios.Unaudited.Contains(function) ? 0 : 1)));
    }

    [Test]
    public async Task ReadCall_EachOneRunSuccessfully_AppendsNoAuditRow()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("reader"));
        var accountId = await Admin.AddAccountAsync();
        await Admin.LinkAsync(userId, accountId);
        var payload = $"{{\"UserId\":{userId},\"AccountId\":{accountId},\"OMSId\":1}}";
        var reads = Of(CallKind.Read).ToList();
        Assert.That(reads, Has.Count.GreaterThan(10));

        foreach (var function in reads)
        {
            var before = await Audit.CountAsync(Host);
            var reply = await Admin.CallAsync(function, payload);
            Assert.That(reply.ErrorCode(), Is.Zero, $"{function}: {reply.O}");
            Assert.That(await Audit.CountAsync(Host), Is.EqualTo(before), $"{function} is marked Read but wrote an audit row");
        }
    }
}
