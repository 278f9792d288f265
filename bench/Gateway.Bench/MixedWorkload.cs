using System.Globalization;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// Reads while writes run: every socket is the operator, with a Trading user of its own (linked to an account);
/// per slot, nine calls in ten read that user (GetUserAccounts and GetUserPermissions in turn) and the tenth grants or
/// revokes one permission of it, one permission per slot so a slot's toggles never race.
/// </summary>
internal static class MixedWorkload
{
    public static async Task<Workload> PrepareAsync(BenchUsers users, string run, int sockets, int depth, CancellationToken ct)
    {
        var targets = new int[sockets];
        for (var s = 0; s < sockets; s++)
            targets[s] = await users.CreateLinkedAsync($"bench-{run}-m{s}", ct);
        var permissions = JsonSerializer.Deserialize<string[]>(await users.CallAsync("GetAvailablePermissionList", "{}", ct))!
            .Where(p => p is not ("Operator" or "Deposit" or "Trading" or "Withdraw")).Take(depth).ToArray();
        var reads = targets.Select(t => string.Create(CultureInfo.InvariantCulture, $"{{\"UserId\":{t}}}")).ToArray();
        return new Workload("mixed", [.. Enumerable.Repeat<string?>(users.AdminToken, sockets)], (socket, slot, count) =>
            (count % 10) switch
            {
                9 => ("AddUserPermission", string.Create(CultureInfo.InvariantCulture,
                    $"{{\"UserId\":{targets[socket]},\"Permission\":\"{permissions[slot % permissions.Length]}\",\"Value\":{(count / 10 % 2 == 0 ? 1 : 0)}}}")),
                var n when n % 2 == 0 => ("GetUserAccounts", reads[socket]),
                _ => ("GetUserPermissions", reads[socket]),
            });
    }
}
