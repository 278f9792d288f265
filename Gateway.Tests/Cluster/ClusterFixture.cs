using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// A fixture of the multi-node tests: in their category, and skipped with the reason where no PostgreSQL server can be
/// started. Each test starts the nodes it needs (<see cref="NodeCluster"/>).
/// </summary>
[Category(ClusterSteps.Category)]
public abstract class ClusterFixture
{
    [SetUp]
    public void RequirePostgres() => ClusterSteps.RequirePostgres();
}
