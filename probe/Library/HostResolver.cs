using System.Net;
using System.Net.Sockets;

namespace AzureOpenAi.Probe;

/// <summary>Resolves a host name to addresses.</summary>
public interface IHostResolver
{
    /// <summary>Returns the host's addresses; throws <see cref="SocketException"/> when the name does not resolve.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The operating system's resolver, as every client on this machine would use it.</summary>
public sealed class SystemHostResolver : IHostResolver
{
    /// <inheritdoc />
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Which addresses stay inside private networks.</summary>
public static class AddressRanges
{
    /// <summary>
    /// True for RFC 1918, shared (100.64/10), loopback, link-local and unique-local IPv6 addresses:
    /// where a private endpoint's address can be, and never a public Azure front end.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return (first & 0xfe) == 0xfc || address.IsIPv6LinkLocal;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || (b[0] == 169 && b[1] == 254);
    }
}
