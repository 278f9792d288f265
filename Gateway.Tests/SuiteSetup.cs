using Gateway.Tests.Support;

namespace Gateway.Tests;

/// <summary>
/// Once before any test: the process state every child-process test relies on, and in the Postgres build the shared
/// PostgreSQL cluster (NUnit allows one set-up fixture per namespace, so both live here).
/// </summary>
[SetUpFixture]
public sealed class SuiteSetup
{
    /// <summary>Gives SIGINT back its default action for the child-process tests.</summary>
    [OneTimeSetUp]
    public void RestoreInterrupt() => PosixSignals.UnignoreInterrupt();

#if POSTGRES
    /// <summary>
    /// Starts the shared cluster before the first test, so its start-up is not charged to one test's timeout; with no
    /// server installed every test is reported skipped, with the reason, rather than failed.
    /// </summary>
    [OneTimeSetUp]
    public void StartPostgres()
    {
        if (PostgresCluster.BinariesFolder is null)
            Assert.Ignore("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: the Postgres half of the suite is skipped");
        _ = PostgresCluster.Shared;
    }

    /// <summary>Stops the shared cluster when the run ends (process exit and the watchdog stop it too, should this not run).</summary>
    [OneTimeTearDown]
    public void StopPostgres() => PostgresCluster.StopShared();
#endif
}
