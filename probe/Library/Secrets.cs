using System.Diagnostics.CodeAnalysis;

namespace AzureOpenAi.Probe;

/// <summary>The secret values one attempt sent, and their removal from what came back.</summary>
internal sealed class Secrets
{
    public const string Mark = "[redacted]";
    private readonly string[] _values;

    /// <summary>From the credential header: the key, or the bearer token with and without its scheme.</summary>
    public Secrets(string headerValue) =>
        _values = new[] { headerValue, headerValue.StartsWith("Bearer ", StringComparison.Ordinal) ? headerValue["Bearer ".Length..] : headerValue }
            .Where(v => v.Length >= 8).Distinct().OrderByDescending(v => v.Length).ToArray();

    [return: NotNullIfNotNull(nameof(text))]
    public string? Scrub(string? text) => text is null ? null : _values.Aggregate(text, (current, secret) => current.Replace(secret, Mark, StringComparison.Ordinal));
}
