using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// The read cache keeps a user's values across commits that did not touch that user. The rule it must keep: a call
/// that starts after a write's reply never answers from the state before the write, on any socket, while other sockets
/// keep the cache warm with reads and other users' writes commit around it.
/// </summary>
[TestFixture]
public sealed class ReadAfterWriteTests : HostFixture
{
    private const string Password = "password-123";
    private const int Targets = 6;
    private const int Rounds = 30;

    // The readers and writers of the noise call as fast as replies come back.
    protected override string[] Settings => ["--Gateway:Limits:RequestsPerSecond=1000000", "--Gateway:Limits:RequestBurst=1000000"];

    [Test]
    [CancelAfter(120_000)]
    public async Task CallsAfterAWritesReply_WhileOtherUsersWritesCommitAndReadsRun_NeverSeeTheOldState(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var targets = new List<Target>();
        for (var t = 0; t < Targets; t++)
            targets.Add(await Target.CreateAsync(Host, admin));
        var bystanders = new List<int>();
        for (var b = 0; b < 4; b++)
            bystanders.Add(await admin.CreateUserAsync(AccountSteps.Unique("bystander"), Password));

        using var noise = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var noiseCalls = new int[1];
        var noiseTasks = new List<Task>();
        for (var n = 0; n < 2; n++)
            noiseTasks.Add(ReadEveryoneAsync(await Host.ConnectAdminAsync(), targets, noiseCalls, noise.Token));
        for (var n = 0; n < 2; n++)
            noiseTasks.Add(ToggleBystandersAsync(await Host.ConnectAdminAsync(), bystanders.GetRange(2 * n, 2), noiseCalls, noise.Token));

        var stale = new List<string>();
        int[] checks;
        try
        {
            checks = await Task.WhenAll(targets.Select(target => CheckRoundsAsync(target, stale)));
        }
        finally
        {
            await noise.CancelAsync();
            await Task.WhenAll(noiseTasks);
            foreach (var target in targets)
                target.Dispose();
        }

        Assert.That(stale, Is.Empty, "calls after a write's reply that answered from the state before it");
        Assert.That(checks.Sum(), Is.EqualTo(Targets * Rounds * 4), "every round checked");
        Assert.That(noiseCalls[0], Is.GreaterThan(Targets * Rounds), "the noise ran beside the rounds");
    }

    // Each round changes one thing of the target through its operator socket, then reads it back at once on another
    // operator socket and on the target's own socket: the permissions (GetUserPermissions, which also needs Trading),
    // and the account links (GetUserAccounts).
    private static async Task<int> CheckRoundsAsync(Target target, List<string> stale)
    {
        var checks = 0;
        void Check(string what, string expected, string actual)
        {
            checks++;
            if (expected != actual)
            {
                lock (stale)
                    stale.Add($"user {target.UserId}, {what}: expected {expected}, got {actual}");
            }
        }

        for (var round = 0; round < Rounds; round++)
        {
            var holdsTrading = round % 2 == 1;
            var change = await target.Writer.CallAsync("AddUserPermission",
                AccountSteps.Json(new { UserId = target.UserId, Permission = "Trading", Value = holdsTrading ? 1 : 0 }));
            Assert.That(change.ErrorCode(), Is.Zero, change.O);
            var expected = holdsTrading ? "[\"Deposit\",\"Trading\",\"Withdraw\"]" : "[\"Deposit\",\"Withdraw\"]";
            Check("permissions read by an operator", expected,
                (await target.Reader.CallAsync("GetUserPermissions", AccountSteps.Json(new { UserId = target.UserId }))).O);
            var own = await target.Own.CallAsync("GetUserPermissions", "{}");
            Check("own call needing Trading", holdsTrading ? expected : "refused with 20", holdsTrading ? own.O : own.ErrorCode() == 20 ? "refused with 20" : own.O);

            var linked = round % 2 == 0;
            var link = await target.Writer.CallAsync(linked ? "AddUserAccount" : "RemoveUserAccount",
                AccountSteps.Json(new { accountId = target.AccountId, userId = target.UserId }));
            Assert.That(link.O, Is.EqualTo(Std.Ok), link.O);
            Check("accounts read by an operator", linked ? $"[{target.AccountId}]" : "[]", await target.Reader.UserAccountsAsync(target.UserId));
            Check("accounts read by the writer's socket", linked ? $"[{target.AccountId}]" : "[]", await target.Writer.UserAccountsAsync(target.UserId));
        }
        return checks;
    }

    private static async Task ReadEveryoneAsync(TestClient socket, List<Target> targets, int[] calls, CancellationToken ct)
    {
        using (socket)
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var target in targets)
                {
                    await socket.CallAsync("GetUserPermissions", AccountSteps.Json(new { UserId = target.UserId }));
                    await socket.CallAsync("GetUserAccounts", AccountSteps.Json(new { UserId = target.UserId }));
                    Interlocked.Add(ref calls[0], 2);
                }
            }
        }
    }

    // Each toggler has bystanders of its own, first revoking and then granting back their Deposit.
    private static async Task ToggleBystandersAsync(TestClient socket, List<int> bystanders, int[] calls, CancellationToken ct)
    {
        using (socket)
        {
            for (var round = 0; !ct.IsCancellationRequested; round++)
            {
                var userId = bystanders[round % bystanders.Count];
                var reply = await socket.CallAsync("AddUserPermission", AccountSteps.Json(new { UserId = userId, Permission = "Deposit", Value = round / bystanders.Count % 2 }));
                Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
                Interlocked.Increment(ref calls[0]);
            }
        }
    }

    private sealed record Target(int UserId, int AccountId, TestClient Writer, TestClient Reader, TestClient Own) : IDisposable
    {
        public void Dispose()
        {
            Writer.Dispose();
            Reader.Dispose();
            Own.Dispose();
        }

        public static async Task<Target> CreateAsync(TestHost host, TestClient admin)
        {
            var userName = AccountSteps.Unique("target");
            var userId = await admin.CreateUserAsync(userName, Password);
            var accountId = await admin.AddAccountAsync();
            var own = await host.ConnectAsync();
            await own.LoginAsync(userName, Password);
            Assert.That((await own.CallAsync("GetUserPermissions", "{}")).O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"), "a new user's permissions");
            return new Target(userId, accountId, await host.ConnectAdminAsync(), await host.ConnectAdminAsync(), own);
        }
    }
}
