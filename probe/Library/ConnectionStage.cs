using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace AzureOpenAi.Probe;

/// <summary>
/// The TCP (and for https, TLS) stage, once per endpoint, to the addresses the DNS stage found: a
/// network that drops or refuses the connection is reported as such before any credential is
/// fetched or any deployment called.
/// </summary>
internal static class ConnectionStage
{
    /// <summary>Null when the endpoint accepts a connection (and a TLS handshake); else the diagnosis and the raw error.</summary>
    public static async Task<(Diagnosis Diagnosis, string Message)?> CheckAsync(Uri endpoint, IReadOnlyList<IPAddress> addresses, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(addresses.ToArray(), endpoint.Port, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (NetworkFailure.ConnectTimedOut(endpoint, timeout), "connect timed out");
        }
        catch (SocketException ex)
        {
            return (NetworkFailure.CouldNotConnect(endpoint), ex.Message);
        }
        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }
        var tls = new SslStream(tcp.GetStream());
        await using (tls.ConfigureAwait(false))
        {
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.IdnHost }, attempt.Token).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (NetworkFailure.TlsTimedOut(endpoint, timeout), "TLS handshake timed out");
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                return (NetworkFailure.TlsFailed(endpoint), ex.Message);
            }
        }
    }
}
