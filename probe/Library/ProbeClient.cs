using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AzureOpenAi.Probe;

/// <summary>
/// Makes a first chat call to each deployment of an Azure OpenAI endpoint and says what is wrong when
/// it fails. Stages, each in its own type: DNS (<see cref="DnsStage"/>), TCP/TLS
/// (<see cref="ConnectionStage"/>), the credential, then one chat call per deployment
/// (<see cref="ChatStage"/>), all deployments concurrently. Patience is bounded (<see cref="RetryPolicy"/>).
/// </summary>
/// <remarks>
/// Plain HttpClient rather than the OpenAI SDK: the SDK rewrites non-envelope error bodies into a
/// generic message, its retry policies do not cap the service's retry-after, and its bearer-token
/// policy refuses plain HTTP even to loopback, which the tests need. Async only: a probe has no
/// synchronous callers.
/// </remarks>
public sealed class ProbeClient : IDisposable
{
    private readonly Uri _endpoint;
    private readonly ProbeCredential _credential;
    private readonly ProbeClientOptions _options;
    private readonly HttpMessageInvoker _transport;
    private readonly bool _ownsTransport;

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
        _ownsTransport = options.Transport is null;
        _transport = new HttpMessageInvoker(options.Transport ?? DefaultTransport(options), disposeHandler: _ownsTransport);
    }

    /// <summary>Connections resolve through the options' resolver, so every stage sees the same answer.</summary>
    private static SocketsHttpHandler DefaultTransport(ProbeClientOptions options) => new()
    {
        ConnectTimeout = options.AttemptTimeout,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await options.Resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

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
        var dns = await DnsStage.ResolveAsync(_endpoint, _options.Resolver, cancellationToken).ConfigureAwait(false);
        var blocked = DnsStage.Blocks(dns, _options.ExpectPrivateNetwork);
        var blockedMessage = dns.Error;
        // An injected transport owns the network path (a proxy, a test double): a raw socket would bypass it.
        if (blocked is null && _ownsTransport
            && await ConnectionStage.CheckAsync(_endpoint, dns.Addresses.Select(IPAddress.Parse).ToList(), _options.AttemptTimeout, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            (blocked, blockedMessage) = failure;
        }
        if (blocked is not null)
        {
            return new ProbeReport(_endpoint.AbsoluteUri, dns, null, Calls(deployments).Select(c => Conclusion.Failed(c.Deployment, blocked, blockedMessage) with { Api = c.Api }).ToList(), clock.ElapsedMilliseconds);
        }

        var header = await GetCredentialHeaderAsync(cancellationToken).ConfigureAwait(false);
        var identity = header.Value.StartsWith("Bearer ", StringComparison.Ordinal) ? TokenIdentity.FromJwt(header.Value["Bearer ".Length..]) : null;
        var chat = new ChatStage(new ChatCall(_transport, _endpoint, _options), new RetryPolicy(_options), _credential.Mode, _options.Clock);
        var reports = await Task.WhenAll(Calls(deployments).Select(c => chat.ProbeAsync(c.Deployment, c.Api, header, identity, cancellationToken))).ConfigureAwait(false);
        return new ProbeReport(_endpoint.AbsoluteUri, dns, identity, reports, clock.ElapsedMilliseconds);
    }

    /// <summary>Each deployment through each API, deployment by deployment: one report row each.</summary>
    private IEnumerable<(string Deployment, ProbeApi Api)> Calls(IReadOnlyList<string> deployments) =>
        deployments.SelectMany(d => _options.Apis.Select(a => (d, a)));

    /// <summary>The credential stage: once per probe, before any call.</summary>
    private async Task<KeyValuePair<string, string>> GetCredentialHeaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _credential.GetHeaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var what = _credential.Mode == AuthMode.Entra ? "an Entra ID token" : "the key";
            throw new ProbeCredentialException($"Could not get {what}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();
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
