namespace Gateway.Sockets;

/// <summary>Bounds the calls one socket runs at once and lets the socket wait for them on close.</summary>
internal sealed class InFlightCalls(int limit) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    /// <summary>Waits for a free slot; the read loop stops reading meanwhile, which pushes back on the client.</summary>
    public Task EnterAsync(CancellationToken ct) => _slots.WaitAsync(ct);

    /// <summary>Frees the slot of a finished call.</summary>
    public void Exit() => _slots.Release();

    /// <summary>Waits until every running call has finished; false when the token ends the wait first.</summary>
    public async Task<bool> DrainAsync(CancellationToken ct)
    {
        var taken = 0;
        try
        {
            for (; taken < limit; taken++)
                await _slots.WaitAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            if (taken > 0)
                _slots.Release(taken);
        }
    }

    public void Dispose() => _slots.Dispose();
}
