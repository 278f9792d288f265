namespace Gateway.Core.Storage;

/// <summary>A write waiting for the writer: its work, who to audit it as, its deadline, and the caller waiting for it.</summary>
internal abstract class PendingWrite(AuditEntry? audited, DateTimeOffset deadline, CancellationToken token)
{
    public AuditEntry? Audited { get; } = audited;

    /// <summary>The audited payload made ready on the caller's thread, as the write is queued: less work for the one writer.</summary>
    public AuditPayload.Prepared? Payload { get; } = audited is null ? null : AuditPayload.Prepare(audited.Payload.Span);

    public DateTimeOffset Deadline { get; } = deadline;

    public CancellationToken Token { get; } = token;

    public abstract Task RunAsync(WriteTransaction unit);

    public abstract void Succeed();

    public abstract void Fail(Exception error);

    /// <summary>True (and the caller told) when the caller gave up before the write ran.</summary>
    public bool Cancelled()
    {
        if (!Token.IsCancellationRequested)
            return false;
        Fail(new OperationCanceledException(Token));
        return true;
    }
}

/// <inheritdoc />
internal sealed class PendingWrite<T>(AuditEntry? audited, Func<WriteTransaction, Task<T>> work, DateTimeOffset deadline, CancellationToken token)
    : PendingWrite(audited, deadline, token)
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _value;

    public Task<T> Result => _result.Task;

    public override async Task RunAsync(WriteTransaction unit) => _value = await work(unit).ConfigureAwait(false);

    public override void Succeed() => _result.TrySetResult(_value!);

    public override void Fail(Exception error)
    {
        if (error is OperationCanceledException canceled && Token.IsCancellationRequested)
            _result.TrySetCanceled(canceled.CancellationToken);
        else
            _result.TrySetException(error);
    }
}
