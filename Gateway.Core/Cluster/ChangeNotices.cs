using Gateway.Core.Storage;

namespace Gateway.Core.Cluster;

/// <summary>Builds a commit's <see cref="ChangeNotice"/> from its audit rows and the stores' marks.</summary>
internal static class ChangeNotices
{
    public static ChangeNotice Of(string node, IReadOnlyList<AuditLog.AuditRow> committed, CommitChanges changes)
    {
        var users = new SortedSet<long>(changes.Users);
        var accounts = new SortedSet<long>(changes.Accounts);
        foreach (var row in committed)
        {
            if (row.TargetUserId is { } user)
                users.Add(user);
            if (row.TargetAccountId is { } account)
                accounts.Add(account);
        }
        var newest = committed.Count > 0 ? committed[^1].Id : 0;
        return new ChangeNotice(node, newest, users.Count > 0 ? [.. users] : null, accounts.Count > 0 ? [.. accounts] : null, changes.SessionsEnded, Everything: false, Unlisted: changes.Unknown);
    }
}
