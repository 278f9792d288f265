namespace ConsoleClient;

/// <summary>What the program's exit code means.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int CallFailed = 1;
    public const int UsageOrConnection = 2;
    public const int Cancelled = 130;
}
