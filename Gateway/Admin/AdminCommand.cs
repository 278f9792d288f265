namespace Gateway.Admin;

/// <summary>One command of <c>Gateway admin</c>; <see cref="AdminCommandLine"/> lists them all.</summary>
internal abstract class AdminCommand
{
    /// <summary>The word after <c>admin</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The operand it takes (<c>&lt;user&gt;</c>, <c>&lt;file&gt;</c>), or null for none.</summary>
    public virtual string? Operand => null;

    /// <summary>What it does, for the usage text.</summary>
    public abstract string Summary { get; }

    /// <summary>
    /// True (the default) for a command a running gateway forbids: it takes the database's lock and needs the current
    /// schema. False for one that works beside a running gateway (backup, verify-audit).
    /// </summary>
    public virtual bool Exclusive => true;

    /// <summary>Runs the command; returns the line it prints on success, or throws <see cref="AdminRefusedException"/>.</summary>
    public abstract Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct);
}

/// <summary>A command that cannot be done: its message is the one line printed, and the exit code is 1.</summary>
internal sealed class AdminRefusedException : Exception
{
    public AdminRefusedException(string message)
        : base(message.ReplaceLineEndings(" "))
    {
    }

    public AdminRefusedException(string message, Exception inner)
        : base(message.ReplaceLineEndings(" "), inner)
    {
    }

    public AdminRefusedException()
        : this("refused")
    {
    }
}
