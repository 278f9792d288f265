namespace Gateway.Startup;

/// <summary>
/// Holds requests that arrive between Kestrel listening and the end of the start (the admin bootstrap), so no client
/// sees a gateway without its operator; opened once by <see cref="StartupCompletion"/>.
/// </summary>
internal sealed class StartupGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => _open.Task.IsCompleted;

    public void Open() => _open.TrySetResult();

    public async Task PassAsync(HttpContext context, RequestDelegate next)
    {
        if (!_open.Task.IsCompleted)
            await _open.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        await next(context).ConfigureAwait(false);
    }
}
