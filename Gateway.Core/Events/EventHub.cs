using Gateway.Core.Storage;

namespace Gateway.Core.Events;

/// <summary>
/// Every open subscription, indexed by the user it follows (0: every user). The writer announces each commit's audit
/// rows once (<see cref="CommitFeed"/>); the hub looks up the streams of each row's user and of 0, builds the event
/// only when one follows it, and hands it to each stream, which never waits: a full socket loses its streams instead.
/// </summary>
public sealed class EventHub
{
    private readonly Dictionary<int, Subscription[]> _byUser = [];
    // Operators following others, by their own UserId, with how many such streams each has.
    private readonly Dictionary<int, int> _followers = [];
    private readonly Lock _lock = new();

    private readonly Database _database;

    /// <summary>Creates the hub and listens to the writer's commits; <paramref name="database"/> tells who is linked to an account.</summary>
    public EventHub(CommitFeed feed, Database database)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _database = database;
        feed.Listen(Publish);
    }

    /// <summary>How many streams are open now, all sockets together.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _byUser.Values.Sum(s => s.Length);
        }
    }

    /// <summary>A socket's side of the hub; dispose it when the socket closes.</summary>
    public Subscriber Attach(IEventSink sink) => new(this, sink);

    internal void Add(Subscription subscription)
    {
        lock (_lock)
        {
            _byUser[subscription.UserId] = _byUser.TryGetValue(subscription.UserId, out var streams) ? [.. streams, subscription] : [subscription];
            if (subscription.Follower is { } follower)
                _followers[follower] = _followers.GetValueOrDefault(follower) + 1;
        }
    }

    internal void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            if (!_byUser.TryGetValue(subscription.UserId, out var streams) || !streams.Contains(subscription))
                return;
            if (subscription.Follower is { } follower && (_followers[follower] -= 1) == 0)
                _followers.Remove(follower);
            var rest = streams.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            if (rest.Length == 0)
                _byUser.Remove(subscription.UserId);
            else
                _byUser[subscription.UserId] = rest;
        }
    }

    private void Publish(IReadOnlyList<AuditLog.AuditRow> rows)
    {
        foreach (var row in rows)
        {
            if (EventKinds.AccountOf(row) is { } accountId)
            {
                PublishAccount(row, accountId);
                continue;
            }
            if (EventKinds.UserOf(row) is not { } userId)
                continue;
            if (EventKinds.LostOperator(row))
                EndFollowing(userId);
            Subscription[] own, all;
            lock (_lock)
            {
                own = _byUser.GetValueOrDefault(userId) ?? [];
                all = userId == 0 ? [] : _byUser.GetValueOrDefault(0) ?? [];
            }
            if (own.Length + all.Length == 0 || EventKinds.From(row) is not { } e)
                continue;
            foreach (var stream in own)
                stream.Owner.Offer(stream, e);
            foreach (var stream in all)
                stream.Owner.Offer(stream, e);
        }
    }

    // An account's change goes to each linked user's streams, named for that user, and to the all-users streams once.
    private void PublishAccount(AuditLog.AuditRow row, int accountId)
    {
        Subscription[] all;
        bool anyUser;
        lock (_lock)
        {
            all = _byUser.GetValueOrDefault(0) ?? [];
            anyUser = _byUser.Count > (all.Length == 0 ? 0 : 1);
        }
        if (all.Length > 0 && EventKinds.ForStream(row, 0) is { } toAll)
        {
            foreach (var stream in all)
                stream.Owner.Offer(stream, toAll);
        }
        if (!anyUser)
            return;
        foreach (var userId in AccountUserStore.UsersOfAccount(_database, accountId))
        {
            Subscription[] own;
            lock (_lock)
                own = _byUser.GetValueOrDefault(userId) ?? [];
            if (own.Length == 0 || EventKinds.ForStream(row, userId) is not { } e)
                continue;
            foreach (var stream in own)
                stream.Owner.Offer(stream, e);
        }
    }

    // An Operator who loses Operator stops following others at once (its calls are refused from its next one on).
    private void EndFollowing(int userId)
    {
        Subscription[] following;
        lock (_lock)
        {
            if (!_followers.ContainsKey(userId))
                return;
            following = [.. _byUser.Values.SelectMany(s => s).Where(s => s.Follower == userId)];
        }
        foreach (var stream in following)
            stream.Owner.Revoke(stream);
    }
}
