using Gateway.Tests.Support;

namespace Gateway.Tests;

/// <summary>Once before any test: the process state every child-process test relies on.</summary>
[SetUpFixture]
public sealed class SuiteSetup
{
    [OneTimeSetUp]
    public void RestoreInterrupt() => PosixSignals.UnignoreInterrupt();
}
