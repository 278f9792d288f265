using System.Data.Common;

namespace Gateway.Core.Storage;

/// <summary>
/// A place in the writer's queue taken by a <see cref="WriteUnit"/>: when the writer reaches it, it opens the lease's
/// savepoint in the group's transaction, hands the transaction to the unit and waits, running nothing else, until the
/// unit releases it; the group then commits (or, when the unit failed, rolls the lease's savepoint back) as for any
/// other write.
/// </summary>
internal sealed class WriterLease(DateTimeOffset deadline, CancellationToken token) : PendingWrite(null, deadline, token)
{
    // Not asynchronous on purpose: the unit resumes on the writer's own thread when the writer reaches the lease, runs
    // its statements (SQLite's are synchronous underneath) and usually releases the lease before handing the thread
    // back, so the writer waits for no thread-pool hop on either side.
    private readonly TaskCompletionSource<DbTransaction> _granted = new();
    private readonly TaskCompletionSource<bool> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the transaction when the writer reaches the lease.</summary>
    public Task<DbTransaction> Granted => _granted.Task;

    /// <summary>Completes when the group holding the lease has committed; faults when it did not.</summary>
    public Task Committed => _committed.Task;

    /// <summary>Gives the writer back: <paramref name="ok"/> false rolls back everything done under the lease.</summary>
    public void Release(bool ok) => _released.TrySetResult(ok);

    /// <summary>
    /// The unit stopped waiting for the writer: when the writer reaches the lease it passes over it. Once granted, the
    /// lease is the unit's until it releases it (it always does, at its end), so a late abandon changes nothing.
    /// </summary>
    public void Abandon()
    {
        if (_granted.TrySetCanceled())
            _committed.TrySetCanceled();
    }

    public override async Task RunAsync(WriteTransaction unit)
    {
        if (!_granted.TrySetResult(unit.Transaction))
            throw new OperationCanceledException("The unit left before the writer reached it.");
        if (!await _released.Task.ConfigureAwait(false))
            throw new OperationCanceledException("The unit failed; its writes are rolled back.");
    }

    public override void Succeed() => _committed.TrySetResult();

    public override void Fail(Exception error)
    {
        if (error is OperationCanceledException && Token.IsCancellationRequested)
        {
            _granted.TrySetCanceled(Token);
            _committed.TrySetCanceled(Token);
            return;
        }
        _granted.TrySetException(error);
        // A unit that released the lease with ok=false already knows; anyone else waits on the commit.
        if (_released.Task is { IsCompletedSuccessfully: true, Result: false })
            _committed.TrySetCanceled();
        else
            _committed.TrySetException(error);
    }
}
