using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;

namespace AzureOpenAi.Probe;

/// <summary>
/// Makes a first chat call to each deployment of an Azure OpenAI endpoint and says what is wrong when
/// it fails. Stages: DNS and TCP/TLS for the endpoint, the credential, then one chat call per
/// deployment, all deployments concurrently. Patience is bounded: 429/5xx are retried <see cref="ProbeClientOptions.MaxRetries"/>
/// times with capped delays, 404/401-PermissionDenied only within the settle window.
/// </summary>
/// <remarks>
/// Plain HttpClient rather than the OpenAI SDK: the SDK rewrites non-envelope error bodies into a
/// generic message, its retry policies ignore caps (data-plane.md §2.3), and its bearer policy refuses
/// loopback HTTP, which the tests need. Async only: a probe has no synchronous callers.
/// </remarks>
public sealed class ProbeClient : IDisposable
{
    private const string Prompt = "Reply with the single word: pong";
    private const int MaxCompletionTokens = 16;
    private readonly Uri _endpoint;
    private readonly ProbeCredential _credential;
    private readonly ProbeClientOptions _options;
    private readonly HttpClient _http;

    /// <summary>Creates a client with default options.</summary>
    public ProbeClient(Uri endpoint, ProbeCredential credential)
        : this(endpoint, credential, new ProbeClientOptions())
    {
    }

    /// <summary>Creates a client.</summary>
    /// <exception cref="ArgumentException">The endpoint is not absolute, or would send the credential over plain HTTP to a non-loopback host.</exception>
    public ProbeClient(Uri endpoint, ProbeCredential credential, ProbeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckTransport(endpoint);
        _endpoint = endpoint;
        _credential = credential;
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.AttemptTimeout, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("aoai-probe", "1.0"));
    }

    /// <summary>
    /// Throws unless the endpoint is https, or http to a loopback address: a key or token must never
    /// cross a network in clear text.
    /// </summary>
    public static void CheckTransport(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{endpoint}' is not an absolute URL such as https://<subdomain>.openai.azure.com/", nameof(endpoint));
        }
        var loopbackHttp = endpoint.Scheme == Uri.UriSchemeHttp && (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host, out var ip) && IPAddress.IsLoopback(ip)));
        if (endpoint.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            throw new ArgumentException($"'{endpoint}' is not https; credentials are only sent over https (or http to a loopback address for local testing)", nameof(endpoint));
        }
    }

    /// <summary>Probes every deployment and reports each verdict.</summary>
    /// <exception cref="ProbeCredentialException">No credential could be obtained (e.g. not logged in).</exception>
    public async Task<ProbeReport> ProbeAsync(IReadOnlyList<string> deployments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        if (deployments.Count == 0 || deployments.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("name at least one deployment, none of them empty", nameof(deployments));
        }
        var clock = Stopwatch.StartNew();
        var dns = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        Diagnosis? blocked = dns switch
        {
            { Error: not null } => new(Verdict.Unreachable, $"{dns.Host} does not resolve here ({dns.Error}): check the custom subdomain and, for private endpoints, that this network uses the privatelink.openai.azure.com zone."),
            { Private: false } when _options.ExpectPrivateNetwork => new(Verdict.NetworkBlocked, $"{dns.Host} resolves to public {string.Join(", ", dns.Addresses)} but public access is disabled: this machine does not use the private DNS zone privatelink.openai.azure.com; run inside the linked VNet or forward DNS to it."),
            _ => null,
        };

        var blockedMessage = dns.Error;
        if (blocked is null && await CheckConnectionAsync(cancellationToken).ConfigureAwait(false) is { } failure)
        {
            (blocked, blockedMessage) = failure;
        }

        IReadOnlyList<DeploymentReport> reports;
        TokenIdentity? identity = null;
        if (blocked is not null)
        {
            reports = deployments.Select(d => new DeploymentReport { Name = d, Verdict = blocked.Verdict, Hint = blocked.Hint, ErrorMessage = blockedMessage }).ToList();
        }
        else
        {
            KeyValuePair<string, string> header;
            try
            {
                header = await _credential.GetHeaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var what = _credential.Mode == AuthMode.Entra ? "an Entra ID token" : "the key";
                throw new ProbeCredentialException($"Could not get {what}: {ex.Message}", ex);
            }
            identity = header.Value.StartsWith("Bearer ", StringComparison.Ordinal) ? TokenIdentity.FromJwt(header.Value["Bearer ".Length..]) : null;
            reports = await Task.WhenAll(deployments.Select(d => ProbeDeploymentAsync(d, header, identity, cancellationToken))).ConfigureAwait(false);
        }
        return new ProbeReport(_endpoint.AbsoluteUri, dns, identity, reports, clock.ElapsedMilliseconds);
    }

    private async Task<DnsReport> ResolveAsync(CancellationToken cancellationToken)
    {
        var host = _endpoint.IdnHost;
        if (IPAddress.TryParse(host, out var literal))
        {
            return new DnsReport(host, [literal.ToString()], AddressRanges.IsPrivate(literal), null);
        }
        try
        {
            var addresses = await _options.Resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                return new DnsReport(host, [], false, "no addresses");
            }
            return new DnsReport(host, addresses.Select(a => a.ToString()).ToList(), addresses.All(AddressRanges.IsPrivate), null);
        }
        catch (SocketException ex)
        {
            return new DnsReport(host, [], false, ex.Message);
        }
    }

    /// <summary>
    /// The TCP (and for https, TLS) stage, once per endpoint: a network that drops or refuses the
    /// connection is reported as such, before any credential is fetched or deployment called.
    /// </summary>
    private async Task<(Diagnosis Diagnosis, string Message)?> CheckConnectionAsync(CancellationToken cancellationToken)
    {
        var (host, port) = (_endpoint.IdnHost, _endpoint.Port);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.AttemptTimeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(host, port, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new Diagnosis(Verdict.Timeout, $"No TCP answer from {host}:{port} within {_options.AttemptTimeout.TotalSeconds:0.#} s: a firewall, NSG or route drops the packets."), "connect timed out");
        }
        catch (SocketException ex)
        {
            return (new Diagnosis(Verdict.Unreachable, $"Could not connect to {host}:{port}: check firewalls, NSGs and routes between this machine and the endpoint."), ex.Message);
        }
        if (_endpoint.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }
        var tls = new SslStream(tcp.GetStream());
        await using (tls.ConfigureAwait(false))
        {
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, attempt.Token).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (new Diagnosis(Verdict.Timeout, $"The TLS handshake with {host}:{port} did not finish within {_options.AttemptTimeout.TotalSeconds:0.#} s."), "TLS handshake timed out");
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                return (new Diagnosis(Verdict.Unreachable, $"TLS handshake with {host} failed: an intercepting proxy, a wrong host name, or something other than HTTPS on port {port}."), ex.Message);
            }
        }
    }

    private Uri RequestUri(string deployment) => _options.UseV1Path
        ? new Uri($"{_endpoint.AbsoluteUri.TrimEnd('/')}/openai/v1/chat/completions")
        : new Uri($"{_endpoint.AbsoluteUri.TrimEnd('/')}/openai/deployments/{Uri.EscapeDataString(deployment)}/chat/completions?api-version={Uri.EscapeDataString(_options.ApiVersion)}");

    private string RequestBody(string deployment)
    {
        // max_completion_tokens and no temperature: the one payload every chat model family accepts.
        var body = new Dictionary<string, object>
        {
            ["messages"] = new[] { new { role = "user", content = Prompt } },
            ["max_completion_tokens"] = MaxCompletionTokens,
        };
        if (_options.UseV1Path)
        {
            body["model"] = deployment;
        }
        return JsonSerializer.Serialize(body);
    }

    private async Task<DeploymentReport> ProbeDeploymentAsync(string deployment, KeyValuePair<string, string> header, TokenIdentity? identity, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var settleUntil = _options.SettleWindow;
        var retries = 0;
        var attempts = 0;
        while (true)
        {
            attempts++;
            var attempt = await SendAsync(deployment, header, cancellationToken).ConfigureAwait(false);
            if (attempt.Response is not { } response)
            {
                return attempt.Failure! with { Name = deployment, Attempts = attempts, LatencyMs = attempt.LatencyMs, ElapsedMs = clock.ElapsedMilliseconds };
            }

            TimeSpan? wait = null;
            if ((response.Status == 429 || response.Status == 408 || response.Status >= 500) && retries < _options.MaxRetries)
            {
                retries++;
                wait = RetryDelay(response.Headers, retries);
            }
            else if (IsStillPropagating(response) && clock.Elapsed + _options.SettleInterval <= settleUntil)
            {
                wait = _options.SettleInterval;
            }
            if (wait is { } delay)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return Conclude(deployment, response, identity) with { Attempts = attempts, LatencyMs = attempt.LatencyMs, ElapsedMs = clock.ElapsedMilliseconds };
        }
    }

    private static bool IsStillPropagating(HttpAnswer response)
    {
        var code = response.Error.Code;
        return (response.Status == 404 && string.Equals(code, "DeploymentNotFound", StringComparison.OrdinalIgnoreCase))
            || (response.Status == 401 && string.Equals(code, "PermissionDenied", StringComparison.OrdinalIgnoreCase));
    }

    private TimeSpan RetryDelay(HttpResponseHeaders headers, int retry)
    {
        TimeSpan? asked = null;
        if (Header(headers, "retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var msValue))
        {
            asked = TimeSpan.FromMilliseconds(msValue);
        }
        else if (Header(headers, "x-ms-retry-after-ms") is { } xms && double.TryParse(xms, NumberStyles.Float, CultureInfo.InvariantCulture, out var xmsValue))
        {
            asked = TimeSpan.FromMilliseconds(xmsValue);
        }
        else if (headers.RetryAfter is { } retryAfter)
        {
            asked = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        }
        var delay = asked ?? TimeSpan.FromSeconds(Math.Pow(2, retry - 1));
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        return delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    private sealed record HttpAnswer(int Status, HttpResponseHeaders Headers, string Body, ErrorBody Error);

    private sealed record Attempt(HttpAnswer? Response, DeploymentReport? Failure, long LatencyMs);

    private async Task<Attempt> SendAsync(string deployment, KeyValuePair<string, string> header, CancellationToken cancellationToken)
    {
        using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptCancellation.CancelAfter(_options.AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, RequestUri(deployment))
        {
            Content = new StringContent(RequestBody(deployment), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        request.Headers.Add("x-ms-client-request-id", Guid.NewGuid().ToString());
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, attemptCancellation.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(attemptCancellation.Token).ConfigureAwait(false);
            return new Attempt(new HttpAnswer((int)response.StatusCode, response.Headers, body, ErrorBody.Parse(body)), null, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(null, Failure(Verdict.Timeout,
                $"No answer within {_options.AttemptTimeout.TotalSeconds:0.#} s: a firewall, NSG or route may be dropping packets, or the service is slow; raise --timeout to tell them apart.",
                $"timed out after {_options.AttemptTimeout.TotalSeconds:0.#} s"), clock.ElapsedMilliseconds);
        }
        catch (HttpRequestException ex)
        {
            var hint = ex.InnerException switch
            {
                AuthenticationException => $"TLS handshake with {_endpoint.Host} failed: an intercepting proxy or a wrong host name; check the certificate chain from this machine.",
                SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => $"{_endpoint.Host} does not resolve here: check the custom subdomain and private DNS.",
                _ => $"Could not connect to {_endpoint.Host}:{_endpoint.Port}: check firewalls, NSGs and routes between this machine and the endpoint.",
            };
            return new Attempt(null, Failure(Verdict.Unreachable, hint, ex.Message), clock.ElapsedMilliseconds);
        }
    }

    private static DeploymentReport Failure(Verdict verdict, string hint, string message) =>
        new() { Name = string.Empty, Verdict = verdict, Hint = hint, ErrorMessage = message };

    private DeploymentReport Conclude(string deployment, HttpAnswer response, TokenIdentity? identity)
    {
        string? servedModel = null;
        var diagnosis = response.Status == 200
            ? ReadCompletion(response.Body, out servedModel)
            : WithIdentity(Classifier.Classify(response.Status, response.Error, _credential.Mode), identity);
        return new DeploymentReport
        {
            Name = deployment,
            Verdict = diagnosis.Verdict,
            Hint = diagnosis.Hint,
            Status = response.Status,
            ErrorCode = response.Status == 200 ? null : response.Error.Code,
            ErrorMessage = response.Status == 200 ? null : response.Error.Message,
            ApimRequestId = Header(response.Headers, "apim-request-id"),
            RequestId = Header(response.Headers, "x-request-id"),
            ServedModel = response.Status == 200 ? servedModel : null,
            Region = Header(response.Headers, "x-ms-region"),
            RemainingRequests = Header(response.Headers, "x-ratelimit-remaining-requests"),
            RemainingTokens = Header(response.Headers, "x-ratelimit-remaining-tokens"),
        };
    }

    /// <summary>Names the identity a person has to fix: whose role is missing, which audience or expiry is wrong.</summary>
    private static Diagnosis WithIdentity(Diagnosis diagnosis, TokenIdentity? identity)
    {
        if (identity is null)
        {
            return diagnosis;
        }
        return diagnosis.Verdict switch
        {
            Verdict.RoleMissing when identity.ObjectId is not null =>
                diagnosis with { Hint = $"{diagnosis.Hint} The token is for object id {identity.ObjectId} (tenant {identity.TenantId})." },
            Verdict.TokenRejected when identity.Audience is not null && !TokenIdentity.AcceptedAudiences.Contains(identity.Audience, StringComparer.OrdinalIgnoreCase) =>
                diagnosis with { Hint = $"{diagnosis.Hint} This token's audience is {identity.Audience}." },
            Verdict.TokenRejected when identity.ExpiresOn < DateTimeOffset.UtcNow =>
                diagnosis with { Hint = $"{diagnosis.Hint} This token expired at {identity.ExpiresOn:u}." },
            _ => diagnosis,
        };
    }

    private static Diagnosis ReadCompletion(string body, out string? servedModel)
    {
        servedModel = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                servedModel = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;
                return new Diagnosis(Verdict.Pass, "The deployment answers.");
            }
        }
        catch (JsonException)
        {
        }
        return new Diagnosis(Verdict.Unexpected, "HTTP 200 without a chat completion in the body: something other than Azure OpenAI answered (a proxy or gateway?); check the endpoint URL.");
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>No credential could be obtained before any call was made (not logged in, no token, no key).</summary>
public sealed class ProbeCredentialException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProbeCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
