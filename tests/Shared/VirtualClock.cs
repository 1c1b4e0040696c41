using System.Collections.Concurrent;

namespace AzureOpenAi.Tests;

/// <summary>
/// A clock for tests that never races the machine: every wait asked of it is recorded, moves its time
/// forward by that much and ends at once. A test then proves a bound by what was asked (the waits, in
/// order) instead of by how long the run took on a busy machine. Linked into both test projects.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks;

    /// <summary>Every wait asked, in the order asked.</summary>
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Enqueue(dueTime);
            Interlocked.Add(ref _ticks, dueTime.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
