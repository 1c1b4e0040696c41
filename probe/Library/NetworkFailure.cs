using System.Net.Sockets;
using System.Security.Authentication;

namespace AzureOpenAi.Probe;

/// <summary>What a failed connection means, in words a person can act on; shared by the TCP/TLS and the chat stages.</summary>
internal static class NetworkFailure
{
    public static Diagnosis ConnectTimedOut(Uri endpoint, TimeSpan timeout) =>
        new(Verdict.Timeout, $"No TCP answer from {endpoint.IdnHost}:{endpoint.Port} within {timeout.TotalSeconds:0.#} s: a firewall, NSG or route drops the packets.");

    public static Diagnosis TlsTimedOut(Uri endpoint, TimeSpan timeout) =>
        new(Verdict.Timeout, $"The TLS handshake with {endpoint.IdnHost}:{endpoint.Port} did not finish within {timeout.TotalSeconds:0.#} s.");

    public static Diagnosis CouldNotConnect(Uri endpoint) =>
        new(Verdict.Unreachable, $"Could not connect to {endpoint.IdnHost}:{endpoint.Port}: check firewalls, NSGs and routes between this machine and the endpoint.");

    public static Diagnosis TlsFailed(Uri endpoint) =>
        new(Verdict.Unreachable, $"TLS handshake with {endpoint.IdnHost} failed: an intercepting proxy, a wrong host name, or something other than HTTPS on port {endpoint.Port}.");

    /// <summary>A request that got no HTTP answer at all.</summary>
    public static Diagnosis Of(HttpRequestException exception, Uri endpoint) => exception.InnerException switch
    {
        AuthenticationException => TlsFailed(endpoint),
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } =>
            new(Verdict.Unreachable, $"{endpoint.IdnHost} does not resolve here: check the custom subdomain and private DNS."),
        _ => CouldNotConnect(endpoint),
    };
}
