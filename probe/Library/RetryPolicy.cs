using System.Globalization;

namespace AzureOpenAi.Probe;

/// <summary>
/// Bounded patience: 408, 429 and 5xx are retried <see cref="ProbeClientOptions.MaxRetries"/> times
/// with the service's retry-after (capped); 404 DeploymentNotFound and 401 PermissionDenied only
/// while the settle window lasts, because a new deployment or role assignment takes minutes to show.
/// </summary>
internal sealed class RetryPolicy(ProbeClientOptions options)
{
    /// <summary>How long to wait before the next attempt, or null to conclude with this answer.</summary>
    public TimeSpan? NextDelay(HttpAnswer answer, int retriesSoFar, TimeSpan elapsed)
    {
        if ((answer.Status == 429 || answer.Status == 408 || answer.Status >= 500) && retriesSoFar < options.MaxRetries)
        {
            return RetryDelay(answer, retriesSoFar + 1);
        }
        // Within the window, poll again: at the interval, or sooner when less of the window is left
        // (a window shorter than the interval still gets its retry at the window's end).
        var left = options.SettleWindow - elapsed;
        if (IsStillPropagating(answer) && left > TimeSpan.Zero)
        {
            return left < options.SettleInterval ? left : options.SettleInterval;
        }
        return null;
    }

    /// <summary>True for the answers that also come right after a deploy, before it has propagated.</summary>
    public static bool IsStillPropagating(HttpAnswer answer)
    {
        var code = answer.Error.Code;
        return (answer.Status == 404 && string.Equals(code, "DeploymentNotFound", StringComparison.OrdinalIgnoreCase))
            || (answer.Status == 401 && string.Equals(code, "PermissionDenied", StringComparison.OrdinalIgnoreCase));
    }

    private TimeSpan RetryDelay(HttpAnswer answer, int retry)
    {
        TimeSpan? asked = null;
        if (Milliseconds(answer.Header("retry-after-ms") ?? answer.Header("x-ms-retry-after-ms")) is { } ms)
        {
            asked = ms;
        }
        else if (answer.Headers.RetryAfter is { } retryAfter)
        {
            asked = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        }
        var delay = asked ?? TimeSpan.FromSeconds(Math.Pow(2, retry - 1));
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        return delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    /// <summary>
    /// A server's retry-after-ms, or null when it is no number of milliseconds a wait can be (NaN,
    /// infinite, negative): the backoff applies then. Clamped before it becomes a TimeSpan, which a value
    /// such as 1e308 would overflow; the cap applies after.
    /// </summary>
    private TimeSpan? Milliseconds(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? TimeSpan.FromMilliseconds(Math.Min(value, options.MaxRetryDelay.TotalMilliseconds))
            : null;
}
