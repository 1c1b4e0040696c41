namespace AzureOpenAi.Probe;

/// <summary>How the probe authenticates.</summary>
public enum AuthMode
{
    /// <summary>A Microsoft Entra ID bearer token (DefaultAzureCredential or a ready token).</summary>
    Entra,
    /// <summary>An account key in the <c>api-key</c> header.</summary>
    Key,
}
