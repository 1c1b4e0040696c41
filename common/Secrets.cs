using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace AzureOpenAi.Common;

/// <summary>
/// The secret values a tool sent (the probe's key or token, the preflight's ARM token), and their
/// removal from what came back. Compiled into both tools' libraries (their projects link this file). A server can return a
/// secret in other forms than it was sent (JSON-escaped, split by spaces, upper-cased, base64): rather
/// than chase each form in place, a text that holds the secret in any of them is not shown at all.
/// Control characters (terminal escape sequences among them) never reach the report either.
/// </summary>
internal sealed partial class Secrets
{
    public const string Mark = "[redacted]";

    /// <summary>What is shown instead of a server's text that held the credential in some form.</summary>
    public const string Withheld = "[the server's answer held the credential; not shown]";

    private readonly string[] _values;
    private readonly string[] _hidden;

    /// <summary>From the credential headers sent: each key, or each bearer token with and without its scheme.</summary>
    public Secrets(params string[] headerValues)
    {
        _values = headerValues.SelectMany(h => new[] { h, h.StartsWith("Bearer ", StringComparison.Ordinal) ? h["Bearer ".Length..] : h })
            .Where(v => v.Length >= 8).Distinct().OrderByDescending(v => v.Length).ToArray();
        // Each secret as it would read with escapes decoded, spaces gone and case folded; and its base64.
        _hidden = _values.SelectMany(v => new[] { Normalize(v), Normalize(Convert.ToBase64String(Encoding.UTF8.GetBytes(v)).TrimEnd('=')) }).Distinct().ToArray();
    }

    [return: NotNullIfNotNull(nameof(text))]
    public string? Scrub(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var exact = _values.Aggregate(text, (current, secret) => current.Replace(secret, Mark, StringComparison.OrdinalIgnoreCase));
        var normalized = Normalize(exact);
        return _hidden.Any(h => normalized.Contains(h, StringComparison.Ordinal)) ? Withheld : WithoutControls(exact);
    }

    /// <summary>JSON escapes decoded, whitespace removed, lower case: the forms a secret can come back in, made one.</summary>
    private static string Normalize(string text)
    {
        var decoded = Escape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        return string.Concat(decoded.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
    }

    /// <summary>A server's text without control characters (but newline and tab): it never drives the terminal. JSON-decoded strings go through here too.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? WithoutControls(string? text) => text is null ? null : string.Concat(text.Where(c => !char.IsControl(c) || c is '\n' or '\t'));

    [GeneratedRegex(@"\\u([0-9a-fA-F]{4})")]
    private static partial Regex Escape();
}
