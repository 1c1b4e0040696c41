using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>
/// The provider rows: every namespace the plan's resource types (and subnet delegations) need must be
/// registered, since azure-native does not register them (pulumi/pulumi-azure-native#3479). With
/// <see cref="PreflightClientOptions.Register"/> a missing one is registered and read back until Azure
/// says Registered, within <see cref="PreflightClientOptions.RegisterTimeout"/>.
/// </summary>
internal static class ProviderChecks
{
    private const string Api = "2021-04-01";

    public static async Task<CheckResult> CheckAsync(Arm arm, string sub, RequiredProvider provider, PreflightClientOptions options, CancellationToken cancellationToken)
    {
        var ns = provider.Namespace;
        try
        {
            var state = await StateAsync(arm, sub, ns, cancellationToken).ConfigureAwait(false);
            if (state == "Registered")
            {
                return CheckResult.Ok("provider", ns, null, $"registrationState Registered ({provider.Why})");
            }
            if (!options.Register)
            {
                return CheckResult.Fail("provider", ns, null, "provider-not-registered", $"registrationState {state}; the plan needs it {provider.Why}",
                    $"az provider register --namespace {ns} (needs {ns}/register/action: Contributor or Owner on the subscription), or run the preflight with --register");
            }
            var register = await arm.PostAsync($"{sub}/providers/{ns}/register", Api, new { }, cancellationToken).ConfigureAwait(false);
            if (!register.Ok)
            {
                return CheckResult.Fail("provider", ns, null, "provider-not-registered", $"registrationState {state}; registering it answered HTTP {register.Status} {register.ErrorCode} (request id {register.RequestId ?? "-"})",
                    $"an identity with {ns}/register/action (Contributor or Owner on the subscription) runs az provider register --namespace {ns}");
            }
            // Registration takes minutes: read it back, bounded by the number of reads the timeout allows.
            var reads = Math.Max(1, (int)Math.Ceiling(options.RegisterTimeout / options.RegisterPollInterval));
            for (var read = 1; read <= reads; read++)
            {
                await Task.Delay(options.RegisterPollInterval, options.Clock, cancellationToken).ConfigureAwait(false);
                state = await StateAsync(arm, sub, ns, cancellationToken).ConfigureAwait(false);
                if (state == "Registered")
                {
                    return CheckResult.Ok("provider", ns, null, $"registered by this run ({provider.Why})");
                }
            }
            return CheckResult.Fail("provider", ns, null, "provider-not-registered", $"registered by this run, still {state} after {reads} reads over {options.RegisterTimeout.TotalSeconds:0} s",
                $"wait until az provider show --namespace {ns} --query registrationState says Registered, then run the preflight again");
        }
        catch (ArmUnreadableException ex)
        {
            return CheckResult.CheckFailed("provider", ns, null, ex.Message);
        }
    }

    private static async Task<string> StateAsync(Arm arm, string sub, string ns, CancellationToken cancellationToken)
    {
        var answer = await arm.GetAsync($"{sub}/providers/{ns}", Api, cancellationToken).ConfigureAwait(false);
        return answer.Ok && answer.Body.TryGetProperty("registrationState", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()!
            : throw new ArmUnreadableException($"{ns}: HTTP {answer.Status} {answer.ErrorCode} without a registrationState (request id {answer.RequestId ?? "-"})");
    }
}
