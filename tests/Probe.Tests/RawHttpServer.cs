using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AzureOpenAi.Probe.Tests;

/// <summary>
/// A loopback server that answers every request with the same bytes, whatever HTTP says: a status
/// line .NET refuses, a header line with no colon, a chunk size that lies. Kestrel cannot be made
/// to send these, and a hostile or broken proxy can. It reads the request's head, writes, closes.
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _answer;

    public RawHttpServer(string answer)
    {
        _answer = Encoding.Latin1.GetBytes(answer);
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped with the test.
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                // The request's head ends with an empty line; its body (a few hundred bytes) is not read.
                var seen = new List<byte>();
                var buffer = new byte[4096];
                while (!HeadComplete(seen))
                {
                    var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }
                    seen.AddRange(buffer.AsSpan(0, read).ToArray());
                }
                await stream.WriteAsync(_answer).ConfigureAwait(false);
                client.Client.Shutdown(SocketShutdown.Send);
                // Read on until the probe hangs up: closing with its body unread would reset the
                // connection and could drop the answer before the probe reads it.
                while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The probe hung up first: nothing to answer.
            }
        }
    }

    private static bool HeadComplete(List<byte> seen) =>
        Encoding.Latin1.GetString(seen.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal);

    public void Dispose() => _listener.Stop();
}
