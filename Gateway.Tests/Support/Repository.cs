namespace Gateway.Tests.Support;

/// <summary>The repository the tests were built from, found above the test binaries by its solution file.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file of the repository; fails the lookup loudly when it is not there.</summary>
    public static string File(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"{Path.Combine(parts)} is not in the repository at {Root}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "exchange-gateway.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("the repository root (exchange-gateway.sln) is not above the test binaries");
    }
}
