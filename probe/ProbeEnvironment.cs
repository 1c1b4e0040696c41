namespace AzureOpenAi.Probe.Cli;

/// <summary>What the command reads and writes besides its arguments; tests supply their own.</summary>
/// <param name="GetVariable">Environment variable lookup (AZURE_OPENAI_API_KEY, AZURE_OPENAI_AD_TOKEN).</param>
/// <param name="Input">Standard input, for <c>--outputs -</c>.</param>
/// <param name="Output">Where the report goes.</param>
/// <param name="Error">Where usage errors go.</param>
/// <param name="Credential">The Entra credential when no token is in the environment; null means DefaultAzureCredential.</param>
internal sealed record ProbeEnvironment(Func<string, string?> GetVariable, TextReader Input, TextWriter Output, TextWriter Error, Azure.Core.TokenCredential? Credential = null);
