namespace FluxSuite.Testing;

/// <summary>Polls for a condition that becomes true asynchronously (a scheduler firing, a host starting).</summary>
public static class Eventually
{
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        var pause = interval ?? TimeSpan.FromMilliseconds(100);
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(pause);
        }
    }
}
