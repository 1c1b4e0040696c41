namespace AzureOpenAi.Probe;

/// <summary>Options for <see cref="ProbeClient"/>. Every property has a default that suits a probe right after a deploy.</summary>
public sealed class ProbeClientOptions
{
    /// <summary>Dated api-version for the classic path. Defaults to <c>2024-10-21</c>, the latest GA.</summary>
    public string ApiVersion { get; set; } = "2024-10-21";

    /// <summary>The APIs each deployment is probed through, one report row per deployment and API. Defaults to the dated path only.</summary>
    public IReadOnlyList<ProbeApi> Apis { get; set; } = [ProbeApi.Dated];

    /// <summary>Time allowed for one HTTP attempt. Defaults to 30 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long 404 DeploymentNotFound and 401 PermissionDenied are retried, for deployments and role
    /// assignments that are still propagating. Defaults to zero (no waiting).
    /// </summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Pause between attempts inside the settle window. Defaults to 10 seconds.</summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries for 429 and 5xx answers. Defaults to 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Upper bound on any single retry delay, whatever retry-after says. Defaults to 10 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The clock that times the waits between attempts and the settle window. Defaults to the system's;
    /// a test passes a virtual one, so the waits are proven by what was asked, never by a race with time.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// True when the account's public access is disabled (stack output <c>publicNetworkAccess: Disabled</c>):
    /// a public DNS answer then means this machine cannot reach the private endpoint. Defaults to false.
    /// </summary>
    public bool ExpectPrivateNetwork { get; set; }

    /// <summary>
    /// Name resolution for every stage: the DNS stage, the TCP/TLS stage and the default transport's
    /// connections all use it. Defaults to the operating system's resolver.
    /// </summary>
    public IHostResolver Resolver { get; set; } = new SystemHostResolver();

    /// <summary>
    /// The HTTP transport for the chat calls, e.g. a handler that goes through a proxy, or a test
    /// double. Defaults to null: a <see cref="SocketsHttpHandler"/> that connects through
    /// <see cref="Resolver"/> and that the client owns. An injected transport owns the network path,
    /// so the client then skips its own TCP/TLS stage (a raw socket would bypass the proxy) and does
    /// not dispose the transport.
    /// </summary>
    public HttpMessageHandler? Transport { get; set; }

    /// <summary>Validates the values; throws <see cref="ArgumentOutOfRangeException"/> naming the property.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApiVersion, nameof(ApiVersion));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero, nameof(AttemptTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(SettleWindow, TimeSpan.Zero, nameof(SettleWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SettleInterval, TimeSpan.Zero, nameof(SettleInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, TimeSpan.Zero, nameof(MaxRetryDelay));
        ArgumentNullException.ThrowIfNull(Resolver, nameof(Resolver));
        ArgumentNullException.ThrowIfNull(Apis, nameof(Apis));
        if (Apis.Count == 0 || Apis.Distinct().Count() != Apis.Count || Apis.Any(a => !Enum.IsDefined(a)))
        {
            throw new ArgumentException("name each API to probe through once, and at least one", nameof(Apis));
        }
    }
}
