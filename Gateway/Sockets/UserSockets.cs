using Gateway.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Sockets;

/// <summary>The open sockets logged in as each user, for the per-user cap.</summary>
internal sealed class UserSockets(IOptions<GatewayOptions> options)
{
    private readonly Dictionary<int, HashSet<SocketConnection>> _byUser = [];
    private readonly Lock _lock = new();

    /// <summary>Counts <paramref name="socket"/> as <paramref name="userId"/>'s; false when that puts the user over the cap.</summary>
    public bool Add(int userId, SocketConnection socket)
    {
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var sockets))
                _byUser[userId] = sockets = [];
            sockets.Add(socket);
            return sockets.Count <= options.Value.Limits.MaxSocketsPerUser;
        }
    }

    /// <summary>No longer counts <paramref name="socket"/> as <paramref name="userId"/>'s.</summary>
    public void Remove(int userId, SocketConnection socket)
    {
        lock (_lock)
        {
            if (_byUser.TryGetValue(userId, out var sockets) && sockets.Remove(socket) && sockets.Count == 0)
                _byUser.Remove(userId);
        }
    }

    /// <summary>Sockets counted for <paramref name="userId"/> now.</summary>
    public int Count(int userId)
    {
        lock (_lock)
            return _byUser.TryGetValue(userId, out var sockets) ? sockets.Count : 0;
    }
}
