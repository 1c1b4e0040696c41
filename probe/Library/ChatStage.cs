namespace AzureOpenAi.Probe;

/// <summary>The chat stage for one deployment: send, wait and retry as the policy allows, then conclude.</summary>
internal sealed class ChatStage(ChatCall call, RetryPolicy policy, AuthMode auth, TimeProvider clock)
{
    public async Task<DeploymentReport> ProbeAsync(string deployment, ProbeApi api, KeyValuePair<string, string> credentialHeader, TokenIdentity? identity, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        long ElapsedMs() => (long)clock.GetElapsedTime(started).TotalMilliseconds;
        var retries = 0;
        for (var attempts = 1; ; attempts++)
        {
            var attempt = await call.SendAsync(deployment, api, credentialHeader, cancellationToken).ConfigureAwait(false);
            if (attempt.Answer is not { } answer)
            {
                return Conclusion.Failed(deployment, attempt.Failure!, attempt.FailureMessage) with { Api = api, Attempts = attempts, LatencyMs = attempt.LatencyMs, ElapsedMs = ElapsedMs() };
            }
            if (policy.NextDelay(answer, retries, clock.GetElapsedTime(started)) is not { } delay)
            {
                return Conclusion.From(deployment, api, answer, auth, identity) with { Attempts = attempts, LatencyMs = attempt.LatencyMs, ElapsedMs = ElapsedMs() };
            }
            if (!RetryPolicy.IsStillPropagating(answer))
            {
                retries++;
            }
            await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
