namespace Gateway.Core.Events;

/// <summary>
/// One stream of a socket: the events of one user (or of all, UserId 0). It opens holding what arrives live until the
/// reply to SubscribeUserEvents is queued, then sends what it replays from the log, then what it held above that, then
/// goes live. Its state is guarded by its <see cref="Subscriber"/>'s lock.
/// </summary>
internal sealed class Subscription(Subscriber owner, int userId, long? fromSequence, long opener, int? follower)
{
    /// <summary>Live events held while opening, at most; past it the socket is too slow and its streams end.</summary>
    public const int MaxHeld = 1000;

    private readonly List<UserEvent> _held = [];

    public Subscriber Owner { get; } = owner;

    public int UserId { get; } = userId;

    /// <summary>The Operator following another user (or every user), or null for a user following itself: its stream ends when it loses Operator.</summary>
    public int? Follower { get; } = follower;

    /// <summary>The frame <c>i</c> of the call that opened it: it starts once that call's reply is queued.</summary>
    public long Opener { get; } = opener;

    /// <summary>The Sequence of the last event sent: the next one's PrevSequence.</summary>
    public long Last { get; set; } = fromSequence ?? 0;

    /// <summary>Events at or below this are covered by the replay (or older than the subscription); live ones start above it.</summary>
    public long Newest { get; private set; } = long.MaxValue;

    public IReadOnlyList<UserEvent> Replay { get; private set; } = [];

    public bool Ready { get; private set; }

    /// <summary>Its replay is being sent.</summary>
    public bool Starting { get; set; }

    public bool Live { get; private set; }

    public bool Ended { get; set; }

    /// <summary>The replay is read: the stream may start once its reply is queued.</summary>
    public void Prepare(IReadOnlyList<UserEvent> replay, long newest)
    {
        (Replay, Newest, Ready) = (replay, newest, true);
    }

    /// <summary>Keeps a live event until the stream starts; false when too many are waiting.</summary>
    public bool Hold(UserEvent e)
    {
        if (_held.Count >= MaxHeld)
            return false;
        _held.Add(e);
        return true;
    }

    /// <summary>What was held beyond the replay, in order, and the stream live from now on.</summary>
    public List<UserEvent> GoLive()
    {
        var rest = _held.Where(e => e.Sequence > Newest).ToList();
        _held.Clear();
        Replay = [];
        Live = true;
        return rest;
    }
}
