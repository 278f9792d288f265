namespace Gateway.Bench;

/// <summary>Gateway settings the bench raises so that it measures the engine, not the production guard rails.</summary>
internal static class BenchSettings
{
    public static readonly string[] RaisedLimits =
    [
        "Gateway:Limits:RequestsPerSecond=100000000",
        "Gateway:Limits:RequestBurst=100000000",
        "Gateway:Limits:MaxSocketsPerUser=100000",
        "Gateway:Limits:FailedLoginsPerAddressPerMinute=100000",
        "Gateway:Limits:LoginsPerAddressPerMinute=100000",
        "Gateway:Limits:LoginsPerUserPerMinute=100000",
        "Gateway:Limits:MaxSessionsPerUser=100000",
    ];
}
