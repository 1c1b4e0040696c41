using System.Net;
using System.Net.Sockets;

namespace AzureOpenAi.Probe;

/// <summary>
/// The first stage: how the endpoint's host name resolves on this machine. A name that does not
/// resolve, or a public answer for an account whose public access is disabled, stops the probe
/// before anything is sent.
/// </summary>
internal static class DnsStage
{
    public static async Task<DnsReport> ResolveAsync(Uri endpoint, IHostResolver resolver, CancellationToken cancellationToken)
    {
        var host = endpoint.IdnHost;
        if (IPAddress.TryParse(host, out var literal))
        {
            return new DnsReport(host, [literal.ToString()], AddressRanges.IsPrivate(literal), null);
        }
        try
        {
            var addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            return addresses.Length == 0
                ? new DnsReport(host, [], false, "no addresses")
                : new DnsReport(host, addresses.Select(a => a.ToString()).ToList(), addresses.All(AddressRanges.IsPrivate), null);
        }
        catch (SocketException ex)
        {
            return new DnsReport(host, [], false, ex.Message);
        }
    }

    /// <summary>Why the probe cannot go on after this answer, or null when it can.</summary>
    public static Diagnosis? Blocks(DnsReport dns, bool expectPrivateNetwork) => dns switch
    {
        { Error: not null } => new(Verdict.Unreachable,
            $"{dns.Host} does not resolve here ({dns.Error}): check the custom subdomain and, for private endpoints, that this network uses the privatelink.openai.azure.com zone."),
        { Private: false } when expectPrivateNetwork => new(Verdict.NetworkBlocked,
            $"{dns.Host} resolves to public {string.Join(", ", dns.Addresses)} but public access is disabled: this machine does not use the private DNS zone privatelink.openai.azure.com; run inside the linked VNet or forward DNS to it."),
        _ => null,
    };
}
