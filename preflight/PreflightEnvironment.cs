using Azure.Core;

namespace AzureOpenAi.Preflight.Cli;

/// <summary>What the command reads and writes besides its arguments; tests supply their own.</summary>
/// <param name="GetVariable">Environment variable lookup (AZURE_ARM_TOKEN, ARM_SUBSCRIPTION_ID, AZURE_SUBSCRIPTION_ID).</param>
/// <param name="Input">Standard input, for <c>--plan -</c>.</param>
/// <param name="Output">Where the report goes.</param>
/// <param name="Error">Where usage errors go.</param>
/// <param name="Credential">The ARM credential when no token is in the environment; null means DefaultAzureCredential.</param>
internal sealed record PreflightEnvironment(Func<string, string?> GetVariable, TextReader Input, TextWriter Output, TextWriter Error, TokenCredential? Credential = null);
