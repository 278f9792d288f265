using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// What each socket sends: a login to make first (a session token to resume, or none) and, for each request slot,
/// the next frame. A slot's requests run strictly one after another, so write toggles never race themselves.
/// </summary>
internal sealed class Workload
{
    private readonly Func<int, int, long, (string Function, string Payload)> _next;

    internal Workload(string name, IReadOnlyList<string?> tokens, Func<int, int, long, (string, string)> next, IReadOnlyList<string>? targetTokens = null)
    {
        Name = name;
        Tokens = tokens;
        _next = next;
        TargetTokens = targetTokens ?? [];
    }

    /// <summary>writes with subscribers: the session token of each socket's target user, for a socket that follows its events.</summary>
    public IReadOnlyList<string> TargetTokens { get; }

    public string Name { get; }

    /// <summary>The session token each socket resumes before the run; null means the socket stays anonymous.</summary>
    public IReadOnlyList<string?> Tokens { get; }

    /// <summary>The request for (socket, slot, n-th request of that slot).</summary>
    public (string Function, string Payload) Next(int socket, int slot, long count) => _next(socket, slot, count);

    /// <summary>Creates the users, accounts and sessions <paramref name="name"/> needs on the gateway at <paramref name="url"/>.</summary>
    public static async Task<Workload> PrepareAsync(string name, Uri url, int sockets, int depth, bool isBaseline, CancellationToken ct, bool requestIds = false, bool logTargetsIn = false)
    {
        if (name == "ping" || isBaseline)
            return Fixed(name, sockets, name switch
            {
                "accounts" or "mixed" => ("GetUserAccounts", "{}"),
                "permissions" => ("GetUserPermissions", "{}"),
                "writes" => ("AddUserPermission", "{\"UserId\":2,\"Permission\":\"Deposit\",\"Value\":1}"),
                _ => ("Ping", "{}"),
            });

        using var users = await BenchUsers.AsAdminAsync(url, ct);
        var run = Guid.NewGuid().ToString("N")[..6];
        switch (name)
        {
            case "accounts" or "permissions":
            {
                var count = Math.Min(sockets, 16);
                var tokens = new List<string>();
                for (var u = 0; u < count; u++)
                    tokens.Add(await users.CreateWithAccountAsync($"bench-{run}-{u}", ct));
                var call = name == "accounts" ? "GetUserAccounts" : "GetUserPermissions";
                return new Workload(name, [.. Enumerable.Range(0, sockets).Select(s => tokens[s % count])], (_, _, _) => (call, "{}"));
            }
            case "writes":
            {
                // One target user per socket and one permission per slot: each (user, permission) is toggled by one slot only.
                var targets = new int[sockets];
                var targetTokens = new List<string>();
                for (var s = 0; s < sockets; s++)
                {
                    targets[s] = await users.CreateAsync($"bench-{run}-w{s}", ct);
                    if (logTargetsIn)
                        targetTokens.Add(await users.LoginAsync($"bench-{run}-w{s}", ct));
                }
                var permissions = JsonSerializer.Deserialize<string[]>(await users.CallAsync("GetAvailablePermissionList", "{}", ct))!
                    .Where(p => p is not ("Operator" or "Deposit" or "Trading" or "Withdraw")).Take(depth).ToArray();
                // With request ids every write is a first call (a fresh id): the cost measured is storing its reply. The ids
                // rise with time, as ULIDs or a script's prefix and line numbers do; random ids (UUIDv4) cost more, as each
                // lands on its own page of the id index.
                string Id(int socket, int slot, long count) => requestIds ? $",\"ClientRequestId\":\"{run}-{count:D9}-{socket}-{slot}\"" : "";
                return new Workload(name, [.. Enumerable.Repeat<string?>(users.AdminToken, sockets)], (socket, slot, count) =>
                    ("AddUserPermission", $"{{\"UserId\":{targets[socket]},\"Permission\":\"{permissions[slot % permissions.Length]}\",\"Value\":{(count % 2 == 0 ? 1 : 0)}{Id(socket, slot, count)}}}"), targetTokens);
            }
            case "mixed":
                return await MixedWorkload.PrepareAsync(users, run, sockets, depth, ct);
            default:
                throw new ArgumentException($"unknown workload {name}");
        }
    }

    private static Workload Fixed(string name, int sockets, (string, string) request) =>
        new(name, [.. Enumerable.Repeat<string?>(null, sockets)], (_, _, _) => request);

}
