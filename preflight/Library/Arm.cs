using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AzureOpenAi.Preflight;

/// <summary>An answer from ARM: the status, the JSON body (null when none), the error code and the request id.</summary>
internal sealed record ArmAnswer(int Status, JsonElement Body, string? ErrorCode, string? RequestId)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>ARM gave no readable answer after the retries; becomes a <c>check-failed</c> row.</summary>
internal sealed class ArmUnreadableException(string detail) : Exception(detail);

/// <summary>
/// GET, POST and paged lists against ARM through one Azure.Core pipeline: bearer token, retries on
/// 408/429/5xx with Retry-After honoured (capped), and a bound on each call, retries included.
/// </summary>
internal sealed class Arm(HttpPipeline pipeline, PreflightClientOptions options)
{
    /// <summary>An ARM answer is at most a few megabytes (a region's model list); a larger one is not read.</summary>
    public const int MaxBodyBytes = 32 << 20;

    /// <summary>The pipeline: the capped retry, then the bearer token, for the ARM endpoint only.</summary>
    /// <param name="credential">Where the ARM token comes from.</param>
    /// <param name="options">The endpoint, retries and timeouts.</param>
    /// <param name="sent">Each token the pipeline sends is added here, so what ARM says can be scrubbed of it.</param>
    public static HttpPipeline BuildPipeline(TokenCredential credential, PreflightClientOptions options, ConcurrentDictionary<string, bool> sent) =>
        HttpPipelineBuilder.Build(options, [], [new BearerPolicy(credential, options.ArmEndpoint, sent)], new ResponseClassifier());

    /// <summary>True when a URL is on the ARM endpoint's scheme, host and port: the only place the token may go.</summary>
    public static bool IsArm(Uri uri, Uri armEndpoint) =>
        Uri.Compare(uri, armEndpoint, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    public Task<ArmAnswer> GetAsync(string path, string apiVersion, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Get, Url(path, apiVersion), null, cancellationToken);

    public Task<ArmAnswer> PostAsync(string path, string apiVersion, object body, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Post, Url(path, apiVersion), body, cancellationToken);

    /// <summary>Every item of a paged list, following nextLink; a failed first page comes back as its answer.</summary>
    public async Task<(ArmAnswer First, List<JsonElement> Items)> ListAsync(string path, string apiVersion, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        var first = await SendAsync(RequestMethod.Get, Url(path, apiVersion), null, cancellationToken).ConfigureAwait(false);
        var page = first;
        for (var pages = 1; page.Ok; pages++)
        {
            if (page.Body.ValueKind != JsonValueKind.Object || !page.Body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            {
                throw new ArmUnreadableException($"{path}: HTTP {page.Status} without a 'value' list (request id {page.RequestId ?? "-"})");
            }
            items.AddRange(value.EnumerateArray());
            if (!page.Body.TryGetProperty("nextLink", out var next) || next.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(next.GetString()) || pages >= 100)
            {
                break;
            }
            // A nextLink is ARM's own: one pointing anywhere else is not followed, and nothing is sent there.
            if (!Uri.TryCreate(next.GetString(), UriKind.Absolute, out var nextUri) || !IsArm(nextUri, options.ArmEndpoint))
            {
                throw new ArmUnreadableException($"{path}: page {pages + 1}'s nextLink is not on {options.ArmEndpoint.GetLeftPart(UriPartial.Authority)}; not followed (request id {page.RequestId ?? "-"})");
            }
            page = await SendAsync(RequestMethod.Get, nextUri, null, cancellationToken).ConfigureAwait(false);
            if (!page.Ok)
            {
                throw new ArmUnreadableException($"{path}: page {pages + 1} answered HTTP {page.Status} {page.ErrorCode} (request id {page.RequestId ?? "-"})");
            }
        }
        return (first, items);
    }

    private Uri Url(string path, string apiVersion) => new(options.ArmEndpoint, $"{path.TrimStart('/')}?api-version={apiVersion}");

    private async Task<ArmAnswer> SendAsync(RequestMethod method, Uri uri, object? body, CancellationToken cancellationToken)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(options.CallTimeout);
        using var message = pipeline.CreateMessage();
        // Unbuffered, so the body is read here within MaxBodyBytes instead of whole into memory.
        message.BufferResponse = false;
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body));
        }
        try
        {
            await pipeline.SendAsync(message, call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ArmUnreadableException($"{uri.AbsolutePath}: no answer within {options.CallTimeout.TotalSeconds:0.#} s, retries included");
        }
        catch (RequestFailedException ex)
        {
            throw new ArmUnreadableException($"{uri.AbsolutePath}: {ex.Message.Split('\n')[0]}");
        }
        var response = message.Response;
        var requestId = response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;
        JsonElement json = default;
        var text = await ReadBodyAsync(response, uri, requestId, call.Token, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new ArmUnreadableException($"{uri.AbsolutePath}: HTTP {response.Status} with a body that is not JSON (request id {requestId ?? "-"})");
            }
        }
        var code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (response.Status == 429 || response.Status >= 500 || (response.Status >= 400 && code is null))
        {
            // Still failing after the retries, or an error ARM would always explain: not an answer to act on.
            throw new ArmUnreadableException($"{uri.AbsolutePath}: HTTP {response.Status} {code} after the retries (request id {requestId ?? "-"})");
        }
        return new ArmAnswer(response.Status, json, code, requestId);
    }

    /// <summary>The body as text, read to <see cref="MaxBodyBytes"/> at most; past that, or unfinished in time, it is no answer.</summary>
    private async Task<string> ReadBodyAsync(Response response, Uri uri, string? requestId, CancellationToken call, CancellationToken caller)
    {
        if (response.ContentStream is not { } stream)
        {
            return string.Empty;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk, call).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxBodyBytes)
                {
                    throw new ArmUnreadableException($"{uri.AbsolutePath}: HTTP {response.Status} with an answer over {MaxBodyBytes >> 20} MiB, not read whole (request id {requestId ?? "-"})");
                }
            }
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new ArmUnreadableException($"{uri.AbsolutePath}: the answer did not finish within {options.CallTimeout.TotalSeconds:0.#} s (request id {requestId ?? "-"})");
        }
        catch (IOException ex)
        {
            throw new ArmUnreadableException($"{uri.AbsolutePath}: the answer broke off: {ex.Message} (request id {requestId ?? "-"})");
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Adds the ARM token. Azure.Core's BearerTokenAuthenticationPolicy refuses plain http, which the
    /// tests' loopback fake needs; the options already refuse http anywhere else.
    /// </summary>
    private sealed class BearerPolicy(TokenCredential credential, Uri armEndpoint, ConcurrentDictionary<string, bool> sent) : HttpPipelinePolicy
    {
        private static readonly TokenRequestContext Scope = new(["https://management.azure.com/.default"]);

        /// <summary>The token goes to the ARM endpoint only, whatever URL a caller or an answer produced.</summary>
        private void Guard(HttpMessage message)
        {
            if (!IsArm(message.Request.Uri.ToUri(), armEndpoint))
            {
                throw new RequestFailedException($"refused to send the ARM token to {message.Request.Uri.ToUri().GetLeftPart(UriPartial.Authority)}: not the ARM endpoint");
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Guard(message);
            var token = await credential.GetTokenAsync(Scope, message.CancellationToken).ConfigureAwait(false);
            sent.TryAdd(token.Token, true);
            message.Request.Headers.SetValue("Authorization", $"Bearer {token.Token}");
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Guard(message);
            var token = credential.GetToken(Scope, message.CancellationToken);
            sent.TryAdd(token.Token, true);
            message.Request.Headers.SetValue("Authorization", $"Bearer {token.Token}");
            ProcessNext(message, pipeline);
        }
    }
}
