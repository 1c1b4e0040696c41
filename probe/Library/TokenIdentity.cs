using System.Text;
using System.Text.Json;

namespace AzureOpenAi.Probe;

/// <summary>
/// Who an Entra ID access token speaks for, read from its (unverified) claims so a report can say
/// which identity lacks a role or which audience was wrong. Holds no part of the token itself.
/// </summary>
/// <param name="Audience">The <c>aud</c> claim, e.g. <c>https://cognitiveservices.azure.com</c>.</param>
/// <param name="ObjectId">The <c>oid</c> claim: the object id to grant a role to.</param>
/// <param name="TenantId">The <c>tid</c> claim.</param>
/// <param name="ExpiresOn">The <c>exp</c> claim.</param>
public sealed record TokenIdentity(string? Audience, string? ObjectId, string? TenantId, DateTimeOffset? ExpiresOn)
{
    /// <summary>Audiences Azure OpenAI accepts.</summary>
    public static readonly IReadOnlyList<string> AcceptedAudiences = ["https://cognitiveservices.azure.com", "https://ai.azure.com"];

    /// <summary>Reads the claims of a JWT; null when the token is not a readable JWT.</summary>
    public static TokenIdentity? FromJwt(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            string? Claim(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            DateTimeOffset? expires = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            return new TokenIdentity(Claim("aud")?.TrimEnd('/'), Claim("oid"), Claim("tid"), expires);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
