using Azure.Core;

namespace AzureOpenAi.Preflight;

/// <summary>Options for <see cref="PreflightClient"/>. The transport and retry settings come from Azure.Core's <see cref="ClientOptions"/>.</summary>
public sealed class PreflightClientOptions : ClientOptions
{
    /// <summary>Creates options with the defaults below; ARM calls are retried 3 times (408, 429, 5xx), Retry-After honoured up to <see cref="MaxRetryAfter"/>.</summary>
    public PreflightClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        // The default; a caller may still set its own RetryPolicy. It reads these options when it runs.
        RetryPolicy = new CappedRetryPolicy(this);
    }

    /// <summary>Azure Resource Manager. Defaults to <c>https://management.azure.com/</c>; plain http only to a loopback address (tests).</summary>
    public Uri ArmEndpoint { get; set; } = new("https://management.azure.com/");

    /// <summary>The most one ARM call may take, retries and their waits included. Defaults to 30 seconds.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a Retry-After is honoured; longer answers wait this long. Defaults to 10 seconds.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A model version (or its SKU) retiring within this many days is a warning. Defaults to 90.</summary>
    public int RetireWarnDays { get; set; } = 90;

    /// <summary>Which model versions need registration and when each closes to new subscriptions. Defaults to the project's data, built in.</summary>
    public IReadOnlyList<ModelAccessEntry> ModelAccess { get; set; } = ModelAccessEntry.BuiltIn();

    /// <summary>Registers a resource provider the plan needs and the subscription lacks, then waits for it. Defaults to false: the preflight only reads.</summary>
    public bool Register { get; set; }

    /// <summary>How long a registration is read back before its row fails. Defaults to 5 minutes.</summary>
    public TimeSpan RegisterTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long between two reads of a registration. Defaults to 10 seconds.</summary>
    public TimeSpan RegisterPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock the lifecycle check compares retirement dates with, and registration waits on. Defaults to the system clock.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Validates the values; throws <see cref="ArgumentException"/> naming the property.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ArmEndpoint, nameof(ArmEndpoint));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(RetireWarnDays, nameof(RetireWarnDays));
        ArgumentNullException.ThrowIfNull(Clock, nameof(Clock));
        ArgumentNullException.ThrowIfNull(ModelAccess, nameof(ModelAccess));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RegisterPollInterval, TimeSpan.Zero, nameof(RegisterPollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RegisterTimeout, TimeSpan.Zero, nameof(RegisterTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RegisterTimeout, TimeSpan.FromHours(1), nameof(RegisterTimeout));
        var loopback = ArmEndpoint.IsLoopback || (System.Net.IPAddress.TryParse(ArmEndpoint.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
        if (ArmEndpoint.Scheme != Uri.UriSchemeHttps && !(ArmEndpoint.Scheme == Uri.UriSchemeHttp && loopback))
        {
            throw new ArgumentException($"'{ArmEndpoint}' is not https; tokens are only sent over https (or http to a loopback address for tests)", nameof(ArmEndpoint));
        }
    }
}
