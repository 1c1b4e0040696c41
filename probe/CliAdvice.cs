using AzureOpenAi.Probe;

namespace AzureOpenAi.Probe.Cli;

/// <summary>
/// What to do on this command line and in this project's stack files, added after the library's
/// neutral hint: the flags, environment variables and `aoai:` keys that fix each verdict.
/// </summary>
internal static class CliAdvice
{
    private static string? For(Verdict verdict) => verdict switch
    {
        Verdict.Throttled => "Stack key: aoai:deployments[].capacity (needs quota).",
        Verdict.KeyRejected => $"Set {ProbeCommand.KeyVariable} to key1 or key2 (az cognitiveservices account keys list), or use --auth entra.",
        Verdict.TokenRejected => $"Sign in with az login and use --auth entra, or set {ProbeCommand.TokenVariable} from az account get-access-token --resource https://cognitiveservices.azure.com.",
        Verdict.RoleMissing => "Stack keys: aoai:roleAssignments or aoai:grantDeployerAccess; right after pulumi up, retry with --settle 600.",
        Verdict.KeyAuthDisabled => "Use --auth entra (the stack sets aoai:disableLocalAuth: true).",
        Verdict.NetworkBlocked => "Stack keys: aoai:network.ipRules, aoai:privateEndpoint; or run the probe inside the linked virtual network.",
        Verdict.DeploymentNotFound => "Compare with pulumi stack output deployments; right after pulumi up, retry with --settle 600.",
        Verdict.WrongOperation => "Probe only chat deployments (leave embeddings out of --deployment).",
        Verdict.ContentFiltered => "Stack key: aoai:deployments[].raiPolicyName.",
        Verdict.Timeout => "Raise --timeout to tell a slow service from dropped packets.",
        Verdict.Unexpected => "Check --endpoint (or the outputs' endpoint) and --api-version.",
        _ => null,
    };

    /// <summary>The report with this command line's advice after each hint.</summary>
    public static ProbeReport Apply(ProbeReport report) => report with
    {
        Deployments = report.Deployments.Select(d => For(d.Verdict) is { } advice ? d with { Hint = $"{d.Hint} {advice}" } : d).ToList(),
    };
}
