using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AzureOpenAi.Probe.Tests;

/// <summary>A scripted answer: status, raw body and headers, returned instead of the normal behaviour.</summary>
/// <param name="StreamBytes">When set, the body is this many bytes of filler, streamed (chunked) without being held.</param>
/// <param name="Echo">When set, the body and an <c>x-echo</c> header repeat the credential the request carried, as a hostile server would.</param>
public sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, long StreamBytes = 0, bool Echo = false);

/// <summary>One deployment of the fake account.</summary>
public sealed class FakeDeployment
{
    public string Model { get; init; } = "gpt-4o-mini-2024-07-18";
    /// <summary>False for embeddings and other non-chat models (400 OperationNotSupported).</summary>
    public bool IsChat { get; init; } = true;
    /// <summary>Answers to give first, in order; afterwards the normal behaviour.</summary>
    public ConcurrentQueue<FakeResponse> Script { get; } = new();
    /// <summary>Delay before answering.</summary>
    public TimeSpan Latency { get; init; }
    private int _propagatingCalls;

    /// <summary>Calls answered 404 DeploymentNotFound before the deployment "appears".</summary>
    public int PropagatingCalls { get => _propagatingCalls; init => _propagatingCalls = value; }

    internal bool StillPropagating() => Interlocked.Decrement(ref _propagatingCalls) >= 0;
}

/// <summary>A request as the fake saw it.</summary>
public sealed record RecordedRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// An Azure OpenAI data plane on 127.0.0.1 and a free port, answering with the bodies Azure sends
/// (docs/data-plane.md). Disposing it stops it.
/// </summary>
public sealed class FakeAzureOpenAi : IAsyncDisposable
{
    public const string Key = "fake-key-0123456789abcdef";
    public const string Token = "fake-token-eyJhbGciOiJub25lIn0.e30.";
    public const string PrincipalWithoutRole = "4c8a9d0e-1111-2222-3333-444455556666";
    /// <summary>An unsigned JWT for a principal that has no data-plane role on the account.</summary>
    public static readonly string TokenWithoutRole = Jwt(new { aud = "https://cognitiveservices.azure.com", oid = PrincipalWithoutRole, tid = "72f988bf-0000-0000-0000-000000000000", exp = 4_102_444_800 });

    /// <summary>An unsigned JWT with these claims (the fake, like the probe, never checks signatures).</summary>
    public static string Jwt(object claims)
    {
        static string Encode(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode(JsonSerializer.Serialize(claims))}.";
    }
    private static readonly string[] ApiVersions = ["2024-06-01", "2024-10-21", "2025-04-01-preview"];
    private readonly WebApplication _app;
    private int _inFlight;
    private int _maxInFlight;

    private FakeAzureOpenAi(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
    public ConcurrentDictionary<string, FakeDeployment> Deployments { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    /// <summary>403 AuthenticationTypeDisabled for keys.</summary>
    public bool LocalAuthDisabled { get; set; }

    /// <summary>Headers a gateway with teams adds to each success (x-gateway-remaining-tokens and -quota-tokens); none by default.</summary>
    public IReadOnlyDictionary<string, string>? GatewayRemaining { get; set; }
    /// <summary>When set, every call gets 403 with this message (public access disabled, firewall...).</summary>
    public string? NetworkBlockMessage { get; set; }
    /// <summary>What <c>x-ms-region</c> says; a gateway's fake names the region that "served" the call.</summary>
    public string Region { get; set; } = "East US";
    /// <summary>The bearer token accepted as having the role; a gateway's fake accepts its own audience's.</summary>
    public string AcceptedToken { get; set; } = Token;
    /// <summary>More tokens it accepts, as a gateway accepts each team's; none by default.</summary>
    public HashSet<string> AlsoAccepted { get; } = [];
    /// <summary>Most requests handled at the same time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeAzureOpenAi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeAzureOpenAi? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeAzureOpenAi(app, new Uri(address + "/"));
        return fake;
    }

    public FakeDeployment AddDeployment(string name, FakeDeployment? deployment = null) => Deployments[name] = deployment ?? new FakeDeployment();

    private async Task HandleAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        try
        {
            var request = context.Request;
            var body = await new StreamReader(request.Body).ReadToEndAsync().ConfigureAwait(false);
            Requests.Enqueue(new RecordedRequest(request.Path.Value ?? "", request.QueryString.Value ?? "",
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            var answer = await AnswerAsync(request, body).ConfigureAwait(false);
            context.Response.StatusCode = answer.Status;
            context.Response.Headers["apim-request-id"] = Guid.NewGuid().ToString();
            context.Response.Headers["x-request-id"] = Guid.NewGuid().ToString();
            context.Response.Headers["x-ms-region"] = Region;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            context.Response.ContentType = answer.Body.StartsWith('<') ? "text/html" : "application/json";
            if (answer.StreamBytes > 0)
            {
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'x');
                for (long sent = 0; sent < answer.StreamBytes && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
                }
                return;
            }
            if (answer.Echo)
            {
                var sent = request.Headers["api-key"].ToString() is { Length: > 0 } key ? key : request.Headers.Authorization.ToString();
                // Into the headers the probe prints, too.
                context.Response.Headers["x-request-id"] = sent;
                context.Response.Headers["apim-request-id"] = sent;
                context.Response.Headers["x-ms-region"] = sent;
                await context.Response.WriteAsync(answer.Body.Replace("{credential}", sent, StringComparison.Ordinal)).ConfigureAwait(false);
                return;
            }
            await context.Response.WriteAsync(answer.Body).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static FakeResponse Error(int status, string code, string message, string? type = null) =>
        new(status, JsonSerializer.Serialize(new { error = type is null ? (object)new { code, message } : new { code, message, type } }));

    private async Task<FakeResponse> AnswerAsync(HttpRequest request, string body)
    {
        if (request.Method != "POST")
        {
            return Error(404, "404", "Resource not found");
        }
        var path = request.Path.Value ?? "";
        var responses = path == "/openai/v1/responses";
        var v1 = path == "/openai/v1/chat/completions" || responses;
        string? name = null;
        if (v1)
        {
            using var json = JsonDocument.Parse(body);
            name = json.RootElement.TryGetProperty("model", out var model) ? model.GetString() : null;
        }
        else if (path.StartsWith("/openai/deployments/", StringComparison.Ordinal) && path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            name = Uri.UnescapeDataString(path["/openai/deployments/".Length..^"/chat/completions".Length]);
            if (!ApiVersions.Contains(request.Query["api-version"].ToString()))
            {
                return Error(404, "404", "Resource not found");
            }
        }
        if (name is null)
        {
            return Error(404, "404", "Resource not found");
        }
        if (NetworkBlockMessage is not null)
        {
            return Error(403, "403", NetworkBlockMessage);
        }
        var key = request.Headers["api-key"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (key.Length > 0)
        {
            if (LocalAuthDisabled)
            {
                return Error(403, "AuthenticationTypeDisabled", "Key based authentication is disabled for this resource.");
            }
            if (key != Key)
            {
                return Error(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.");
            }
        }
        else if (authorization == $"Bearer {TokenWithoutRole}")
        {
            return Error(401, "PermissionDenied", "Principal does not have access to API/Operation.");
        }
        else if (authorization != $"Bearer {AcceptedToken}" && !AlsoAccepted.Contains(authorization["Bearer ".Length..]))
        {
            return new FakeResponse(401, """{"statusCode":401,"message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}""");
        }
        if (!Deployments.TryGetValue(name, out var deployment) || deployment.StillPropagating())
        {
            return Error(404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.", v1 ? "invalid_request_error" : null);
        }
        if (deployment.Latency > TimeSpan.Zero)
        {
            await Task.Delay(deployment.Latency).ConfigureAwait(false);
        }
        if (deployment.Script.TryDequeue(out var scripted))
        {
            return scripted;
        }
        if (!deployment.IsChat)
        {
            return Error(400, "OperationNotSupported", $"The chatCompletion operation does not work with the specified model, {deployment.Model}. Please choose different model and try again.");
        }
        if (responses)
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new
            {
                id = "resp-fake",
                @object = "response",
                status = "completed",
                model = deployment.Model,
                output = new[] { new { type = "message", role = "assistant", content = new[] { new { type = "output_text", text = "pong" } } } },
                usage = new { input_tokens = 12, output_tokens = 1, total_tokens = 13 },
            }), SuccessHeaders());
        }
        return new FakeResponse(200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = deployment.Model,
            choices = new[] { new { index = 0, finish_reason = "stop", message = new { role = "assistant", content = "pong" } } },
            usage = new { prompt_tokens = 12, completion_tokens = 1, total_tokens = 13 },
        }), SuccessHeaders());
    }

    /// <summary>What an account adds to a success, and what a gateway with teams adds when <see cref="GatewayRemaining"/> is set.</summary>
    private Dictionary<string, string> SuccessHeaders() =>
        new(GatewayRemaining ?? new Dictionary<string, string>()) { ["x-ratelimit-remaining-requests"] = "99", ["x-ratelimit-remaining-tokens"] = "9984" };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
