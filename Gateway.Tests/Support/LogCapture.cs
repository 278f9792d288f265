using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Support;

/// <summary>
/// Every log line of every in-process host of the test run, at every level: the formatted message and any exception text.
/// <see cref="TestHost"/> attaches it, so a test can assert what the gateway logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private static readonly ConcurrentQueue<string> Captured = new();

    private LogCapture()
    {
    }

    /// <summary>The one provider every host logs to.</summary>
    public static LogCapture Provider { get; } = new();

    /// <summary>The lines captured so far, as "Level Category: message" plus any exception text.</summary>
    public static IReadOnlyList<string> Lines => [.. Captured];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName);

    public void Dispose()
    {
        // Shared by every host of the run; nothing to release.
    }

    private sealed class CapturingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                line += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
            Captured.Enqueue(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
    }
}
