namespace Gateway.Bench;

/// <summary>Gateway settings the bench raises so that it measures the engine, not the production guard rails.</summary>
internal static class BenchSettings
{
    public static readonly string[] RaisedLimits = [];
}
