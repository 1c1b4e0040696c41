namespace AzureOpenAi.Probe;

/// <summary>A verdict with the one-line fix a person should try first.</summary>
public sealed record Diagnosis(Verdict Verdict, string Hint);

/// <summary>
/// Maps a final HTTP answer to a verdict. Pure: status, error body and auth mode in, diagnosis out.
/// The messages matched here are the ones Azure sends (docs/data-plane.md lists them). Hints name
/// what to fix in Azure terms; a command line adds its own flags and settings.
/// </summary>
public static class Classifier
{
    /// <summary>Classifies a non-success (or unreadable success) response.</summary>
    public static Diagnosis Classify(int status, ErrorBody error, AuthMode auth)
    {
        var code = error.Code ?? string.Empty;
        var message = error.Message ?? string.Empty;
        switch (status)
        {
            case 401 when code.Equals("PermissionDenied", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.RoleMissing,
                    "Grant the calling identity 'Cognitive Services OpenAI User' on the account; a new assignment takes minutes to apply, so probe again with a settle window.");
            case 401 when auth == AuthMode.Key:
                return new(Verdict.KeyRejected,
                    "The key is not valid for this account: use key1 or key2 of this very account, or authenticate with Entra ID.");
            case 401:
                return new(Verdict.TokenRejected,
                    "The token is missing, expired or for the wrong audience: get one for https://cognitiveservices.azure.com.");
            case 403 when code.Equals("AuthenticationTypeDisabled", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.KeyAuthDisabled,
                    "Keys are disabled on this account (local authentication is off): authenticate with Entra ID as an identity that has 'Cognitive Services OpenAI User'.");
            // The gateway's own refusals (its teams, docs/governance.md): an authorization the stack grants, like a role.
            case 403 when code.Equals("UnknownCaller", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.RoleMissing,
                    "The gateway places this caller in no team: add its application's client id (or a group it is in) to a team in aoai:gateway.teams; the deploy identity needs one to probe.");
            case 403 when code.Equals("DeploymentNotAllowed", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.RoleMissing,
                    "The caller's team may not call this deployment: add it to the team's deployments in aoai:gateway.teams.");
            case 403 when message.Contains("Public access is disabled", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.NetworkBlocked,
                    "Public access is disabled: run the probe inside the virtual network (or a peered one) whose DNS resolves the account to its private endpoint.");
            case 403 when message.Contains("Virtual Network/Firewall", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.NetworkBlocked,
                    "The account's firewall rejected this caller: allow its public IP in the account's IP rules, or call from an allowed subnet.");
            case 403 when message.Contains("approved private endpoint", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.NetworkBlocked,
                    "The call did not come through an approved private endpoint: check the endpoint connection is Approved and that DNS resolves privately here.");
            case 404 when code.Equals("DeploymentNotFound", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.DeploymentNotFound,
                    "No deployment of this name on the account: check the name; if it was created in the last minutes, probe again with a settle window.");
            case 400 when code.Equals("OperationNotSupported", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.WrongOperation,
                    "The deployment is reachable but is not a chat model (embeddings, images or a Responses-only model): probe only chat deployments.");
            case 400 when code.Equals("content_filter", StringComparison.OrdinalIgnoreCase)
                || (error.InnerCode ?? string.Empty).Equals("ResponsibleAIPolicyViolation", StringComparison.OrdinalIgnoreCase):
                return new(Verdict.ContentFiltered,
                    "The content filter blocked the probe prompt, so the deployment answered but the probe got no completion; check the deployment's content filter (RAI policy).");
            case 429:
                return new(Verdict.Throttled,
                    "Reachable, authorised and deployed, but out of quota right now: raise the deployment's capacity or retry later.");
            case >= 500:
                return new(Verdict.ServerError,
                    "Azure kept failing after the retries: check Azure status for the region, then retry; quote the apim-request-id to support.");
            default:
                return new(Verdict.Unexpected, error.IsJson
                    ? $"HTTP {status} {code}: not an answer this probe knows; check the endpoint URL and the api-version."
                    : $"HTTP {status} with a non-JSON body: something other than Azure OpenAI answered (a proxy or gateway?); check the endpoint URL.");
        }
    }
}
