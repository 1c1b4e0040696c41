using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AzureOpenAi.Probe;

/// <summary>
/// An HTTP answer as the later stages read it. Its body and header values are what the server sent,
/// with every secret the probe sent replaced: a server that echoes the key or token back gets it
/// printed nowhere (table, JSON, summary).
/// </summary>
internal sealed record HttpAnswer(int Status, HttpResponseHeaders Headers, string Body, ErrorBody Error, Secrets Secrets)
{
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? Secrets.Scrub(values.FirstOrDefault()) : null;
}

/// <summary>One attempt: an answer, or the failure that stood in for one (timeout, no connection).</summary>
internal sealed record Attempt(HttpAnswer? Answer, Diagnosis? Failure, string? FailureMessage, long LatencyMs);

/// <summary>One chat completion request, the smallest every chat model accepts, sent once within the attempt timeout.</summary>
internal sealed class ChatCall(HttpMessageInvoker transport, Uri endpoint, ProbeClientOptions options)
{
    private const string Prompt = "Reply with the single word: pong";
    private const int MaxCompletionTokens = 16;

    private Uri RequestUri(string deployment, ProbeApi api) => api switch
    {
        ProbeApi.V1 => new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/openai/v1/chat/completions"),
        ProbeApi.Responses => new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/openai/v1/responses"),
        _ => new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/openai/deployments/{Uri.EscapeDataString(deployment)}/chat/completions?api-version={Uri.EscapeDataString(options.ApiVersion)}"),
    };

    private static string RequestBody(string deployment, ProbeApi api)
    {
        // Responses: 16 is the smallest max_output_tokens the API takes.
        if (api == ProbeApi.Responses)
        {
            return JsonSerializer.Serialize(new Dictionary<string, object> { ["model"] = deployment, ["input"] = Prompt, ["max_output_tokens"] = MaxCompletionTokens });
        }
        // max_completion_tokens and no temperature: the one payload every chat model family accepts.
        var body = new Dictionary<string, object>
        {
            ["messages"] = new[] { new { role = "user", content = Prompt } },
            ["max_completion_tokens"] = MaxCompletionTokens,
        };
        if (api == ProbeApi.V1)
        {
            body["model"] = deployment;
        }
        return JsonSerializer.Serialize(body);
    }

    public async Task<Attempt> SendAsync(string deployment, ProbeApi api, KeyValuePair<string, string> credentialHeader, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, RequestUri(deployment, api))
        {
            Content = new StringContent(RequestBody(deployment, api), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(credentialHeader.Key, credentialHeader.Value);
        request.Headers.Add("x-ms-client-request-id", Guid.NewGuid().ToString());
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("aoai-probe", "1.0"));
        var clock = Stopwatch.StartNew();
        var secrets = new Secrets(credentialHeader.Value);
        try
        {
            using var response = await transport.SendAsync(request, attempt.Token).ConfigureAwait(false);
            string? text;
            try
            {
                text = await BoundedBody.ReadAsync(response.Content, attempt.Token).ConfigureAwait(false);
            }
            catch (HttpIOException ex)
            {
                // The head arrived and the body broke off (a chunk size that is not hex, fewer bytes than
                // announced). .NET's message quotes the server's bytes, so only the kind of break is told.
                return new Attempt(null, new Diagnosis(Verdict.Unexpected,
                    $"HTTP {(int)response.StatusCode} with an answer that broke off while being read ({ex.HttpRequestError}): Azure OpenAI sends whole answers, so a proxy cut it or something else answered; check where this host name leads."),
                    $"HTTP {(int)response.StatusCode}: answer broke off ({ex.HttpRequestError})", clock.ElapsedMilliseconds);
            }
            if (text is null)
            {
                return new Attempt(null, new Diagnosis(Verdict.Unexpected,
                    $"HTTP {(int)response.StatusCode} with an answer over {BoundedBody.MaxBytes / (1 << 20)} MiB, not read whole: Azure OpenAI answers a chat call in kilobytes, so something else answered (a proxy, a captive portal); check where this host name leads."),
                    $"HTTP {(int)response.StatusCode}: answer over {BoundedBody.MaxBytes} bytes, not read whole", clock.ElapsedMilliseconds);
            }
            var body = secrets.Scrub(text);
            return new Attempt(new HttpAnswer((int)response.StatusCode, response.Headers, body, ErrorBody.Parse(body), secrets), null, null, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = options.AttemptTimeout.TotalSeconds;
            return new Attempt(null, new Diagnosis(Verdict.Timeout,
                $"No answer within {seconds:0.#} s: a firewall, NSG or route may be dropping packets, or the service is slow; allow more time per attempt to tell them apart."),
                $"timed out after {seconds:0.#} s", clock.ElapsedMilliseconds);
        }
        catch (HttpRequestException ex)
        {
            // .NET quotes what the server sent in some messages ("Received an invalid header line: '...'").
            return new Attempt(null, NetworkFailure.Of(ex, endpoint), secrets.Scrub(ex.Message), clock.ElapsedMilliseconds);
        }
    }
}
