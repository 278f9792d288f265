namespace Gateway.Startup;

/// <summary>A start that cannot go on: <see cref="Exception.Message"/> is the one line for stderr, <see cref="ExitCode"/> the process's exit code.</summary>
public sealed class StartupException : Exception
{
    /// <summary>EX_CONFIG from sysexits.h: a setting is out of range or malformed.</summary>
    public const int ConfigurationError = 78;

    /// <summary>Any other failed start: the port, the database, the key.</summary>
    public const int Failure = 1;

    public StartupException(int exitCode, string message, Exception? inner = null)
        : base(message.ReplaceLineEndings(" "), inner) => ExitCode = exitCode;

    public StartupException()
        : this(Failure, "the gateway did not start")
    {
    }

    public StartupException(string message)
        : this(Failure, message)
    {
    }

    public StartupException(string message, Exception inner)
        : this(Failure, message, inner)
    {
    }

    /// <summary>What the process exits with.</summary>
    public int ExitCode { get; }

    /// <summary>The one line and exit code for any exception that stopped a start.</summary>
    public static StartupException From(Exception error) => error switch
    {
        StartupException known => known,
        AggregateException { InnerExceptions: [var only] } => From(only),
        _ => new StartupException(Failure, error.Message, error),
    };
}
