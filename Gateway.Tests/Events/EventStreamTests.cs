using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Events;

/// <summary>A stream's order and its join with the log: many writers, one subscriber; a resubscription that replays what it missed.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class EventStreamTests : HostFixture
{
    private static readonly string[] PermissionEvents = ["UserPermissionsEvent"];
    private static readonly string[] Defaults = ["Deposit", "Trading", "Withdraw"];
    private static readonly string[] Toggled = ["AccountReadOnly", "Deposit", "Trading", "Withdraw"];

    protected override string[] Settings => ["--Gateway:Limits:RequestsPerSecond=100000", "--Gateway:Limits:RequestBurst=100000"];

    [Test]
    public async Task Toggles_1000By4OperatorSockets_OneSubscriberSeesEachOnceInOrderEndingAtTheState()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, userId) = await Host.ConnectNewUserAsync(admin);
        using var _ = user;
        var start = await user.SubscribeAsync();
        var operators = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Host.ConnectAdminAsync()));

        // Each socket toggles a permission of its own 250 times, so every call changes something and writes one row.
        await Task.WhenAll(operators.Select((op, k) => ToggleAsync(op, userId, Toggled[k], 250)));

        var events = new List<ReplyFrame>();
        for (var n = 0; n < 1000; n++)
            events.Add(await user.NextEventAsync());
        Assert.That(events.Select(e => e.N).Distinct(), Is.EquivalentTo(PermissionEvents));
        Assert.That(events[0].PrevSequence(), Is.Zero);
        Assert.That(events[0].Sequence(), Is.GreaterThan(start));
        for (var n = 1; n < events.Count; n++)
        {
            Assert.That(events[n].Sequence(), Is.GreaterThan(events[n - 1].Sequence()), $"event {n}");
            Assert.That(events[n].PrevSequence(), Is.EqualTo(events[n - 1].Sequence()), $"event {n}");
        }
        var now = await user.CallAsync("GetUserPermissions");
        Assert.That(events[^1].Payload.GetProperty("Permissions").Json(), Is.EqualTo(now.O));
        Assert.That(user.TryTakeUnmatched(out var extra), Is.False, $"an event beyond the 1,000: {extra}");
        foreach (var op in operators)
            op.Dispose();
    }

    [Test]
    public async Task Resubscribe_FromSequenceWhile200More_Sees400InOrderNoneTwice()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "replay-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName);
        long last;
        using (var first = await Host.ConnectAsync())
        {
            await first.LoginAsync(userName, "password-123");
            await first.SubscribeAsync();
            await ToggleAsync(admin, userId, "AccountReadOnly", 2);
            await first.NextEventAsync();
            last = (await first.NextEventAsync()).Sequence();
        }

        await ToggleAsync(admin, userId, "Deposit", 200);
        using var operator2 = await Host.ConnectAdminAsync();
        var more = ToggleAsync(operator2, userId, "Trading", 200);
        using var second = await Host.ConnectAsync();
        await second.LoginAsync(userName, "password-123");
        await second.SubscribeAsync($"{{\"FromSequence\":{last}}}");
        await more;

        var events = new List<ReplyFrame>();
        for (var n = 0; n < 400; n++)
            events.Add(await second.NextEventAsync());
        Assert.That(events[0].PrevSequence(), Is.EqualTo(last));
        for (var n = 1; n < events.Count; n++)
        {
            Assert.That(events[n].Sequence(), Is.GreaterThan(events[n - 1].Sequence()), $"event {n}");
            Assert.That(events[n].PrevSequence(), Is.EqualTo(events[n - 1].Sequence()), $"event {n}");
        }
        var toggled = Toggles(events, Defaults);
        Assert.That(toggled.Take(200), Is.All.EqualTo("Deposit"), "the 200 missed come first, from the log");
        Assert.That(toggled.Skip(200), Is.All.EqualTo("Trading"));
        await second.CallAsync("Ping");
        Assert.That(second.TryTakeUnmatched(out var extra), Is.False, $"an event beyond the 400: {extra}");
    }

    // The permission each event toggled: the one its list differs in from the list before it.
    private static List<string> Toggles(IEnumerable<ReplyFrame> events, IEnumerable<string> before)
    {
        var previous = before.ToHashSet();
        var toggled = new List<string>();
        foreach (var e in events)
        {
            var held = e.Payload.GetProperty("Permissions").EnumerateArray().Select(p => p.GetString()!).ToHashSet();
            var changed = held.Except(previous).Concat(previous.Except(held)).ToList();
            Assert.That(changed, Has.Count.EqualTo(1), e.Raw);
            toggled.Add(changed[0]);
            previous = held;
        }
        return toggled;
    }

    internal static async Task ToggleAsync(TestClient op, int userId, string permission, int times)
    {
        var held = (await op.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O.Contains($"\"{permission}\"", StringComparison.Ordinal);
        for (var n = 0; n < times; n++)
        {
            var reply = await op.CallAsync(held ? "RevokeUserPermission" : "AddUserPermission", JsonSerializer.Serialize(new { UserId = userId, Permission = permission }));
            Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
            held = !held;
        }
    }
}
