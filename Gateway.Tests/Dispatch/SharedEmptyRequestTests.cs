using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Handlers.Users;

namespace Gateway.Tests.Dispatch;

[TestFixture]
public sealed class SharedEmptyRequestTests
{
    [Test]
    public void Instance_TheBusiestRequestTypes_AreShared()
    {
        Assert.That(SharedEmptyRequest<UserRequest>.Instance, Is.Not.Null);
        Assert.That(SharedEmptyRequest<EmptyRequest>.Instance, Is.Not.Null);
        Assert.That(SharedEmptyRequest<UserRequest>.Instance, Is.SameAs(SharedEmptyRequest<UserRequest>.Instance));
    }

    [Test]
    public void Instance_TypeWithASetter_IsNotShared() =>
        Assert.That(SharedEmptyRequest<Settable>.Instance, Is.Null);

    [Test]
    public void Instance_InitOnlyButMutableValue_IsNotShared() =>
        Assert.That(SharedEmptyRequest<InitList>.Instance, Is.Null);

    [Test]
    public void Instance_WritableField_IsNotShared() =>
        Assert.That(SharedEmptyRequest<WithField>.Instance, Is.Null);

    [Test]
    public void Instance_SetterOnABaseType_IsNotShared() =>
        Assert.That(SharedEmptyRequest<Derived>.Instance, Is.Null);

    [Test]
    public void Instance_InitOnlyScalars_AreShared() =>
        Assert.That(SharedEmptyRequest<InitScalars>.Instance, Is.Not.Null);

    private sealed class Settable
    {
        public int? UserId { get; set; }
    }

    private sealed class InitList
    {
        public List<int> Ids { get; init; } = [];
    }

    private sealed class WithField
    {
#pragma warning disable CS0649, CA1051 // The field exists only to be found by reflection.
        public int Count;
#pragma warning restore CS0649, CA1051
    }

    private class Base
    {
        public string? Name { get; set; }
    }

    private sealed class Derived : Base
    {
        public int? UserId { get; init; }
    }

    private sealed class InitScalars
    {
        public int? UserId { get; init; }

        public string? UserName { get; init; }

        public DayOfWeek Day { get; init; }

        private readonly long _stamp = Environment.TickCount64;

        public long Stamp => _stamp;
    }
}
