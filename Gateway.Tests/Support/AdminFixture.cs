namespace Gateway.Tests.Support;

/// <summary>One real host for the fixture and one socket logged in as the bootstrap operator, shared by its tests.</summary>
public abstract class AdminFixture : HostFixture
{
    protected TestClient Admin { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task ConnectAdmin() => Admin = await Host.ConnectAdminAsync();

    [OneTimeTearDown]
    public void DisconnectAdmin() => Admin.Dispose();
}
