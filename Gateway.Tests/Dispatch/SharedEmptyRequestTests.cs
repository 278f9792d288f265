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

    [TestCase(typeof(Settable), TestName = "CannotChange_TypeWithASetter_IsFalse")]
    [TestCase(typeof(InitList), TestName = "CannotChange_InitOnlyButMutableValue_IsFalse")]
    [TestCase(typeof(WithField), TestName = "CannotChange_WritableField_IsFalse")]
    [TestCase(typeof(Derived), TestName = "CannotChange_SetterOnABaseType_IsFalse")]
    public void CannotChange_ATypeThatCanBeChanged_IsFalse(Type type) =>
        Assert.That(SharedEmptyRequest.CannotChange(type), Is.False);

    [Test]
    public void Instance_InitOnlyScalars_AreShared() =>
        Assert.That(SharedEmptyRequest<InitScalars>.Instance, Is.Not.Null);

    [Test]
    public void Instance_TypeWithASetter_IsNull() =>
        Assert.That(SharedEmptyRequest<Settable>.Instance, Is.Null);

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
