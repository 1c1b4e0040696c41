using System.Text.Json;
using Azure.Core;

using AzureOpenAi.Tests;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>How the preflight talks to ARM: paging, Retry-After, a bounded hang, concurrency, https only.</summary>
[TestFixture]
public sealed class ArmTransportTests : PreflightFixture
{
    [Test]
    public async Task Follows_nextLink_across_pages()
    {
        _arm.PageModels = true;
        var report = await Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "model", "chat-mini").Verdict, Is.EqualTo("ok"), "the second model is on page two");
            Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/models", StringComparison.Ordinal)), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Retries_a_429_after_its_Retry_After_and_then_succeeds()
    {
        _arm.Queue("/providers/Microsoft.CognitiveServices", new FakeAnswer(429, new { error = new { code = "TooManyRequests", message = "slow down" } }, new Dictionary<string, string> { ["Retry-After"] = "60" }));
        var options = Options();
        var report = await Run(options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "provider", "Microsoft.CognitiveServices").Verdict, Is.EqualTo("ok"));
            Assert.That(((VirtualClock)options.Clock).Waits, Is.EqualTo(new[] { options.MaxRetryAfter }), "one wait, Retry-After: 60 capped to MaxRetryAfter");
            Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/providers/Microsoft.CognitiveServices", StringComparison.Ordinal)), Is.EqualTo(2));
        }
    }

    [TestCase("Retry-After", "1e308", 200)]
    [TestCase("Retry-After", "Infinity", 10)]
    [TestCase("Retry-After", "NaN", 10)]
    [TestCase("Retry-After", "-5", 10)]
    [TestCase("retry-after-ms", "1e308", 200)]
    public async Task A_retry_after_that_is_no_wait_ends_in_a_row_never_a_crash(string header, string value, int waitMs)
    {
        _arm.Queue("/providers/Microsoft.CognitiveServices", new FakeAnswer(429, new { error = new { code = "TooManyRequests", message = "slow down" } }, new Dictionary<string, string> { [header] = value }));
        var options = Options();
        var report = await Run(options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "provider", "Microsoft.CognitiveServices").Verdict, Is.EqualTo("ok"));
            // A huge value is capped at MaxRetryAfter (200 ms here); one that is no wait falls back to the backoff (10 ms).
            Assert.That(((VirtualClock)options.Clock).Waits, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(waitMs) }));
        }
    }

    [Test]
    public async Task A_hanging_ARM_is_a_check_failed_row_within_the_timeout()
    {
        _arm.Queue("/checkDomainAvailability", Enumerable.Repeat(new FakeAnswer(200, new { isSubdomainAvailable = true }, Delay: TimeSpan.FromSeconds(20)), 5).ToArray());
        var options = Options();
        options.CallTimeout = TimeSpan.FromMilliseconds(500);
        var report = await Run(options: options);
        // The answers come after 20 s: a verdict of check-failed, naming the 0.5 s bound, is the timeout's.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "subdomain", "oai-contoso-prod").Verdict, Is.EqualTo("check-failed"));
            Assert.That(Row(report, "subdomain", "oai-contoso-prod").Detail, Does.Contain("no answer within 0.5 s"));
        }
    }

    [Test]
    public async Task Independent_calls_run_concurrently()
    {
        // The fake holds each call until three are in flight at once: one call after another never gets there.
        _arm.HoldUntilInFlight = 3;
        var report = await Run();
        Assert.That(report.Passed, Is.True);
        Assert.That(_arm.MaxInFlight, Is.GreaterThanOrEqualTo(3), "provider, regions and the account calls overlap");
    }

    [Test]
    public void Refuses_to_send_a_token_over_plain_http_off_this_machine()
    {
        var options = Options();
        options.ArmEndpoint = new Uri("http://management.example.com/");
        Assert.That(() => new PreflightClient(new Token(), options), Throws.ArgumentException.With.Message.Contains("not https"));
    }
}
