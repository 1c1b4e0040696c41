using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>The provider row: Microsoft.CognitiveServices must be registered in the subscription.</summary>
internal static class ProviderChecks
{
    public const string Namespace = "Microsoft.CognitiveServices";

    public static async Task<CheckResult> CheckAsync(Arm arm, string sub, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await arm.GetAsync($"{sub}/providers/{Namespace}", "2021-04-01", cancellationToken).ConfigureAwait(false);
            var state = answer.Ok && answer.Body.TryGetProperty("registrationState", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (state is null)
            {
                return CheckResult.CheckFailed("provider", Namespace, null, $"HTTP {answer.Status} {answer.ErrorCode} without a registrationState (request id {answer.RequestId ?? "-"})");
            }
            return state == "Registered"
                ? CheckResult.Ok("provider", Namespace, null, "registrationState Registered")
                : CheckResult.Fail("provider", Namespace, null, "provider-not-registered", $"registrationState {state}", $"az provider register --namespace {Namespace} (a subscription Contributor can), then wait for Registered");
        }
        catch (ArmUnreadableException ex)
        {
            return CheckResult.CheckFailed("provider", Namespace, null, ex.Message);
        }
    }
}
