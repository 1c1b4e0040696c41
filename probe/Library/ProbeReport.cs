namespace AzureOpenAi.Probe;

/// <summary>The outcome for one deployment: the verdict, the evidence behind it and the fix to try.</summary>
public sealed record DeploymentReport
{
    /// <summary>Deployment name.</summary>
    public required string Name { get; init; }

    /// <summary>The API this row's call went through. Defaults to <see cref="ProbeApi.Dated"/>.</summary>
    public ProbeApi Api { get; init; } = ProbeApi.Dated;
    /// <summary>The conclusion.</summary>
    public required Verdict Verdict { get; init; }
    /// <summary>One line saying what to do about it.</summary>
    public required string Hint { get; init; }
    /// <summary>HTTP status of the last attempt; null when no answer came.</summary>
    public int? Status { get; init; }
    /// <summary><c>error.code</c> of the last answer.</summary>
    public string? ErrorCode { get; init; }
    /// <summary>Error message of the last answer, or of the network failure.</summary>
    public string? ErrorMessage { get; init; }
    /// <summary><c>apim-request-id</c>: what Azure support asks for.</summary>
    public string? ApimRequestId { get; init; }
    /// <summary><c>x-request-id</c>.</summary>
    public string? RequestId { get; init; }
    /// <summary>The model version that answered (<c>model</c> of the completion).</summary>
    public string? ServedModel { get; init; }
    /// <summary>Region that served the call (<c>x-ms-region</c>).</summary>
    public string? Region { get; init; }
    /// <summary>The deployment that answered (<c>x-ms-deployment-name</c>), where Azure says so.</summary>
    public string? ServedBy { get; init; }
    /// <summary>The provisioned deployment the call spilled over from (<c>x-ms-spillover-from-deployment</c>), and why (<c>x-ms-spillover-error</c>).</summary>
    public string? SpilledOverFrom { get; init; }
    /// <summary><c>x-ratelimit-remaining-requests</c>.</summary>
    public string? RemainingRequests { get; init; }
    /// <summary><c>x-ratelimit-remaining-tokens</c>.</summary>
    public string? RemainingTokens { get; init; }
    /// <summary>Through a gateway with teams: the caller's team's tokens left this minute (<c>x-gateway-remaining-tokens</c>).</summary>
    public string? GatewayRemainingTokens { get; init; }
    /// <summary>Through a gateway with teams: the team's tokens left this quota period (<c>x-gateway-remaining-quota-tokens</c>).</summary>
    public string? GatewayRemainingQuotaTokens { get; init; }
    /// <summary>HTTP attempts made, retries included.</summary>
    public int Attempts { get; init; }
    /// <summary>Duration of the last attempt in milliseconds.</summary>
    public long LatencyMs { get; init; }
    /// <summary>Time spent on this deployment, waits included, in milliseconds.</summary>
    public long ElapsedMs { get; init; }
}

/// <summary>How the endpoint's host name resolved here.</summary>
/// <param name="Host">The host name.</param>
/// <param name="Addresses">Resolved addresses, each as text.</param>
/// <param name="Private">True when every address is private (what a private endpoint gives).</param>
/// <param name="Error">Why resolution failed; null on success.</param>
public sealed record DnsReport(string Host, IReadOnlyList<string> Addresses, bool Private, string? Error);

/// <summary>The whole probe: endpoint, DNS, the token's identity, one report per deployment, and the total time.</summary>
/// <param name="Endpoint">The endpoint probed.</param>
/// <param name="Dns">Name resolution of its host.</param>
/// <param name="Token">Claims of the Entra ID token used; null with a key or an opaque token.</param>
/// <param name="Deployments">One report per deployment, in the order asked.</param>
/// <param name="ElapsedMs">Wall time of the whole probe in milliseconds.</param>
public sealed record ProbeReport(string Endpoint, DnsReport Dns, TokenIdentity? Token, IReadOnlyList<DeploymentReport> Deployments, long ElapsedMs)
{
    /// <summary>
    /// The account's kind as its stack says: <c>OpenAI</c>, or <c>AIServices</c> for a Foundry resource, whose
    /// Azure OpenAI path is the one probed. Null when not stated (an endpoint given on the command line, a gateway).
    /// </summary>
    public string? AccountKind { get; init; }

    /// <summary>True when every deployment is pass or throttled.</summary>
    public bool Healthy => Deployments.All(d => d.Verdict.IsHealthy());
}
