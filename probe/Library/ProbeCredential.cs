using Azure.Core;

namespace AzureOpenAi.Probe;

/// <summary>
/// The credential the probe sends: a key in <c>api-key</c>, or an Entra ID bearer token. Its
/// <see cref="ToString"/> never reveals the secret, so it cannot leak through logs or errors.
/// </summary>
public abstract class ProbeCredential
{
    /// <summary>Entra ID scope for Azure OpenAI data-plane calls.</summary>
    public const string CognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>Which verdicts a 401 maps to depends on this.</summary>
    public abstract AuthMode Mode { get; }

    /// <summary>Returns the header name and value to send.</summary>
    public abstract ValueTask<KeyValuePair<string, string>> GetHeaderAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public sealed override string ToString() => $"{Mode} credential";

    /// <summary>An account key, sent as <c>api-key</c>.</summary>
    public static ProbeCredential FromKey(string key) => new Fixed(AuthMode.Key, "api-key", key);

    /// <summary>A ready Entra ID access token, sent as a bearer token.</summary>
    public static ProbeCredential FromAccessToken(string token) => new Fixed(AuthMode.Entra, "Authorization", $"Bearer {token}");

    /// <summary>Tokens from an Azure.Identity credential (e.g. DefaultAzureCredential), fetched once per probe.</summary>
    public static ProbeCredential FromTokenCredential(TokenCredential credential, string scope = CognitiveServicesScope) => new FromIdentity(credential, scope);

    private sealed class Fixed(AuthMode mode, string header, string value) : ProbeCredential
    {
        public override AuthMode Mode => mode;

        public override ValueTask<KeyValuePair<string, string>> GetHeaderAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(KeyValuePair.Create(header, value));
    }

    private sealed class FromIdentity(TokenCredential credential, string scope) : ProbeCredential
    {
        public override AuthMode Mode => AuthMode.Entra;

        public override async ValueTask<KeyValuePair<string, string>> GetHeaderAsync(CancellationToken cancellationToken)
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            return KeyValuePair.Create("Authorization", $"Bearer {token.Token}");
        }
    }
}
