using System.Text;

namespace AzureOpenAi.Probe;

/// <summary>Reads a response body up to a bound, in bounded memory.</summary>
internal static class BoundedBody
{
    /// <summary>A chat completion is a few kilobytes; anything past this is not an answer from Azure OpenAI.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The body's text, or null when it runs past <see cref="MaxBytes"/> (the rest is never read).</summary>
    public static async Task<string?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, read);
            }
            read += n;
        }
        return null;
    }
}
