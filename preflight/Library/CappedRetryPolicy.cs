using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AzureOpenAi.Preflight;

/// <summary>
/// Retries 408, 429 and 5xx (and failed connections) with exponential backoff, honouring the
/// server's Retry-After up to <see cref="PreflightClientOptions.MaxRetryAfter"/>. Azure.Core's
/// RetryPolicy would wait as long as the server asks, which a throttled ARM sets to minutes.
/// </summary>
internal sealed class CappedRetryPolicy(PreflightClientOptions options) : HttpPipelinePolicy
{
    private static readonly int[] Retried = [408, 429, 500, 502, 503, 504];

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        for (var attempt = 0; ; attempt++)
        {
            Exception? failure = null;
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RequestFailedException or IOException && !message.CancellationToken.IsCancellationRequested)
            {
                failure = ex;
            }
            var retry = failure is not null || Retried.Contains(message.Response.Status);
            if (!retry || attempt >= options.Retry.MaxRetries)
            {
                if (failure is not null) throw failure;
                return;
            }
            await Task.Delay(Delay(failure is null ? message.Response : null, attempt), options.Clock, message.CancellationToken).ConfigureAwait(false);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    private TimeSpan Delay(Response? response, int attempt)
    {
        // A value that is no wait (NaN, infinite, negative) is ignored for the backoff; a huge one is clamped
        // before it becomes a TimeSpan, which 1e308 seconds would overflow.
        var cap = options.MaxRetryAfter.TotalMilliseconds;
        static bool Wait(string text, out double value) => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= 0;
        TimeSpan? asked = response?.Headers.TryGetValue("retry-after-ms", out var ms) == true && Wait(ms!, out var m)
            ? TimeSpan.FromMilliseconds(Math.Min(m, cap))
            : response?.Headers.TryGetValue("Retry-After", out var s) == true && Wait(s!, out var seconds)
                ? TimeSpan.FromMilliseconds(Math.Min(seconds * 1000, cap))
                : null;
        var backoff = TimeSpan.FromTicks(Math.Min(options.Retry.Delay.Ticks * (1L << Math.Min(attempt, 16)), options.Retry.MaxDelay.Ticks));
        var delay = asked ?? backoff;
        return delay > options.MaxRetryAfter ? options.MaxRetryAfter : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
