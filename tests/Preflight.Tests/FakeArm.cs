using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>One scripted answer: status, JSON body (or raw text), headers, and a delay before it.</summary>
/// <param name="StreamBytes">When set, the body is this many bytes of JSON-looking filler, streamed without being held.</param>
/// <param name="Stall">When true, the body starts and then never goes on: only the client's own timeout ends it.</param>
public sealed record FakeAnswer(int Status, object? Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, string? RawBody = null, long StreamBytes = 0, bool Stall = false);

/// <summary>
/// Azure Resource Manager on 127.0.0.1 with the documented response shapes: a subscription with the
/// provider registered, regions with models and usages, accounts, deployments, soft-deleted
/// accounts and subdomains. Tests change the state or queue answers per path; disposing stops it.
/// </summary>
public sealed class FakeArm : IAsyncDisposable
{
    public const string Subscription = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";
    private readonly WebApplication _app;

    private FakeArm(WebApplication app, Uri endpoint) => (_app, Endpoint) = (app, endpoint);

    public Uri Endpoint { get; }

    /// <summary>Registration state per provider namespace; a namespace not listed is Registered.</summary>
    public Dictionary<string, string> Providers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many reads after a register call a namespace still answers Registering.</summary>
    public int RegisteringReads { get; set; } = 1;

    private readonly ConcurrentDictionary<string, int> _registering = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Namespaces a register call was made for.</summary>
    public ConcurrentQueue<string> Registrations { get; } = new();

    /// <summary>Models listed per location (lowercase); a location absent here answers 400 NoRegisteredProviderFound.</summary>
    public Dictionary<string, List<object>> Models { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Usages per location: usage name to (limit, used).</summary>
    public Dictionary<string, Dictionary<string, (double Limit, double Used)>> Usages { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Existing accounts by name: subdomain and deployments (name, sku, capacity).</summary>
    public Dictionary<string, (string Subdomain, List<(string Name, string Sku, int Capacity)> Deployments)> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model and version of an existing deployment, by "account/deployment".</summary>
    public Dictionary<string, (string Model, string Version)> DeploymentModels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The kind of an existing account, by name; <c>OpenAI</c> when not given.</summary>
    public Dictionary<string, string> Kinds { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Existing accounts a customer-managed key encrypts (<c>properties.encryption.keySource</c> Microsoft.KeyVault).</summary>
    public HashSet<string> CustomerManagedKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An existing account's <c>foundryAutoUpgrade</c>, by name: shown only to a preview api-version, as Azure does.</summary>
    public Dictionary<string, object> AutoUpgrades { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Answers an account read in a preview api-version with 400, as a cloud without it would.</summary>
    public bool PreviewUnsupported { get; set; }

    /// <summary>Soft-deleted accounts by name, with the subdomain they keep.</summary>
    public Dictionary<string, string> Deleted { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Subdomains held by anyone.</summary>
    public HashSet<string> TakenSubdomains { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The caller's grants as the permissions list gives them (actions, notActions); by default an Owner's.</summary>
    public List<(string[] Actions, string[] NotActions)> Permissions { get; } = [(["*"], [])];

    /// <summary>Resource groups that exist; the permissions of any other answer 404 ResourceGroupNotFound.</summary>
    public HashSet<string> ExistingGroups { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Assignments that deny: the field each tests, its id, its reason, and which resource content it denies.</summary>
    public List<(string Field, string AssignmentId, string Reason, Func<JsonElement, bool> Denies)> PolicyDenials { get; } = [];

    /// <summary>Key Vaults and API Management services that exist in the subscription, by name.</summary>
    public HashSet<string> ExistingNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Soft-deleted Key Vaults and API Management services by name: their scheduled purge date and purge protection.</summary>
    public Dictionary<string, (string PurgeDate, bool PurgeProtection)> DeletedNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Vault and service names someone else holds: checkNameAvailability answers AlreadyExists.</summary>
    public HashSet<string> TakenNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Event hub namespaces and storage accounts by name, with their location.</summary>
    public Dictionary<string, string> Locations { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Answers queued for a path (matched by "ends with"), used before the state above.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<FakeAnswer>> Script { get; } = new();

    /// <summary>Splits the models list in two pages when set.</summary>
    public bool PageModels { get; set; }

    public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

    /// <summary>Each request's method, path and api-version, in arrival order.</summary>
    public ConcurrentQueue<(string Method, string Path, string ApiVersion)> Calls { get; } = new();

    /// <summary>Added to every answer, like a slow ARM.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// When set, each request is held until this many are in flight at once (or ten seconds pass):
    /// a client that sends one call after another never gets there, and <see cref="MaxInFlight"/> says so.
    /// </summary>
    public int HoldUntilInFlight { get; set; }

    /// <summary>The most requests that were in flight at one time.</summary>
    public int MaxInFlight => _maxInFlight;

    private int _inFlight;
    private int _maxInFlight;

    public static async Task<FakeArm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeArm? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeArm(app, new Uri(address + "/"));
        return fake;
    }

    public void Queue(string pathEnd, params FakeAnswer[] answers)
    {
        var queue = Script.GetOrAdd(pathEnd, _ => new ConcurrentQueue<FakeAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    /// <summary>A model entry as Models_List returns it.</summary>
    /// <remarks>ARM lists each model once per account kind that can deploy it (OpenAI and AIServices).</remarks>
    public static object Model(string name, string version, string sku, string usageName, object? capacity = null, string? skuDeprecation = null, string? inference = null, (string Name, string Version)? replacement = null, string kind = "OpenAI") => new
    {
        kind,
        skuName = "S0",
        model = new
        {
            format = "OpenAI",
            name,
            version,
            skus = new object[] { new { name = sku, usageName, capacity = capacity ?? new { minimum = 1, maximum = 1000, step = 1, @default = 10 }, deprecationDate = skuDeprecation } },
            deprecation = new { inference },
            replacementConfig = replacement is { } r ? new { targetModelName = r.Name, targetModelVersion = r.Version } : null,
            lifecycleStatus = "GenerallyAvailable",
        },
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue((path, context.Request.Headers.Authorization.ToString()));
        Calls.Enqueue((context.Request.Method, path, context.Request.Query["api-version"].ToString()));
        var scripted = Script.FirstOrDefault(s => path.EndsWith(s.Key, StringComparison.OrdinalIgnoreCase));
        var answer = scripted.Value is { } queue && queue.TryDequeue(out var next) ? next : Answer(context, path);
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            for (var seen = _maxInFlight; inFlight > seen; seen = _maxInFlight)
            {
                Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen);
            }
            for (var waited = 0; HoldUntilInFlight > 0 && _maxInFlight < HoldUntilInFlight && waited < 1000; waited++)
            {
                await Task.Delay(10, context.RequestAborted).ConfigureAwait(false);
            }
            await AnswerAsync(context, answer).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context, FakeAnswer answer)
    {
        if (answer.Delay + Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay + Delay, context.RequestAborted).ConfigureAwait(false);
        }
        context.Response.StatusCode = answer.Status;
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentType = "application/json";
        if (answer.StreamBytes > 0 || answer.Stall)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (long sent = 0; sent < Math.Max(answer.StreamBytes, chunk.Length) && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
            if (answer.Stall)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }
            return;
        }
        await context.Response.WriteAsync(answer.RawBody ?? (answer.Body is null ? "" : JsonSerializer.Serialize(answer.Body))).ConfigureAwait(false);
    }

    private static FakeAnswer Error(int status, string code, string message) => new(status, new { error = new { code, message } });

    private FakeAnswer Answer(HttpContext context, string path)
    {
        var segments = path.Trim('/').Split('/');
        if (segments.Length == 4 && segments[2].Equals("providers", StringComparison.OrdinalIgnoreCase))
        {
            var ns = segments[3];
            if (_registering.TryGetValue(ns, out var left))
            {
                _registering[ns] = left - 1;
                Providers[ns] = left > 0 ? "Registering" : "Registered";
            }
            return new(200, new { id = path, @namespace = ns.ToLowerInvariant(), registrationState = Providers.TryGetValue(ns, out var state) ? state : "Registered" });
        }
        if (segments.Length == 5 && segments[2].Equals("providers", StringComparison.OrdinalIgnoreCase) && segments[4] == "register" && context.Request.Method == "POST")
        {
            Registrations.Enqueue(segments[3]);
            _registering[segments[3]] = RegisteringReads;
            Providers[segments[3]] = "Registering";
            return new(200, new { @namespace = segments[3], registrationState = "Registering" });
        }
        if (path.Contains("/Microsoft.EventHub/namespaces/", StringComparison.OrdinalIgnoreCase) || path.Contains("/Microsoft.Storage/storageAccounts/", StringComparison.OrdinalIgnoreCase))
        {
            return Locations.TryGetValue(segments[^1], out var where) ? new(200, new { name = segments[^1], location = where }) : Error(404, "ResourceNotFound", "The Resource was not found.");
        }
        if (path.EndsWith("/models", StringComparison.OrdinalIgnoreCase) && segments.Length > 6)
        {
            var location = segments[^2];
            if (!Models.TryGetValue(location, out var models))
            {
                return Error(400, "NoRegisteredProviderFound", $"No registered resource provider found for location '{location}'.");
            }
            if (PageModels && !context.Request.Query.ContainsKey("page"))
            {
                return new(200, new { value = models.Take(1), nextLink = $"{Endpoint.AbsoluteUri.TrimEnd('/')}{path}?api-version=2025-09-01&page=2" });
            }
            return new(200, new { value = PageModels ? models.Skip(1) : models });
        }
        if (path.EndsWith("/usages", StringComparison.OrdinalIgnoreCase))
        {
            var usages = Usages.TryGetValue(segments[^2], out var u) ? u : [];
            return new(200, new { value = usages.Select(x => new { name = new { value = x.Key, localizedValue = x.Key }, currentValue = x.Value.Used, limit = x.Value.Limit, unit = "Count" }) });
        }
        if (path.EndsWith("/checkDomainAvailability", StringComparison.OrdinalIgnoreCase))
        {
            using var body = JsonDocument.Parse(new StreamReader(context.Request.Body).ReadToEndAsync().GetAwaiter().GetResult());
            var name = body.RootElement.GetProperty("subdomainName").GetString()!;
            var taken = TakenSubdomains.Contains(name) || Accounts.Values.Any(a => a.Subdomain.Equals(name, StringComparison.OrdinalIgnoreCase)) || Deleted.Values.Contains(name, StringComparer.OrdinalIgnoreCase);
            return new(200, new { isSubdomainAvailable = !taken, reason = taken ? $"Sub domain name '{name}' is already in use" : null, subdomainName = name, type = "Microsoft.CognitiveServices/accounts" });
        }
        if (segments.Length > 2 && (segments[^2].Equals("deletedVaults", StringComparison.OrdinalIgnoreCase) || segments[^2].Equals("deletedservices", StringComparison.OrdinalIgnoreCase)))
        {
            var vault = segments[^2].Equals("deletedVaults", StringComparison.OrdinalIgnoreCase);
            return DeletedNames.TryGetValue(segments[^1], out var d)
                ? new(200, vault
                    ? new { id = path, name = segments[^1], type = "Microsoft.KeyVault/deletedVaults", properties = (object)new { location = segments[^3], deletionDate = "2026-12-01T10:00:00Z", scheduledPurgeDate = d.PurgeDate, purgeProtectionEnabled = d.PurgeProtection } }
                    : new { id = path, name = segments[^1], type = "Microsoft.ApiManagement/deletedservices", properties = (object)new { deletionDate = "2026-12-06T10:00:00Z", scheduledPurgeDate = d.PurgeDate } })
                : Error(404, "ResourceNotFound", "The Resource was not found.");
        }
        if (segments.Length > 2 && (segments[^2].Equals("vaults", StringComparison.OrdinalIgnoreCase) || segments[^2].Equals("service", StringComparison.OrdinalIgnoreCase)))
        {
            return ExistingNames.Contains(segments[^1]) ? new(200, new { id = path, name = segments[^1] }) : Error(404, "ResourceGroupNotFound", "Resource group could not be found.");
        }
        if (path.EndsWith("/providers/Microsoft.Authorization/permissions", StringComparison.OrdinalIgnoreCase))
        {
            var group = segments.Length > 4 && segments[2].Equals("resourcegroups", StringComparison.OrdinalIgnoreCase) ? segments[3] : null;
            return group is not null && !ExistingGroups.Contains(group)
                ? Error(404, "ResourceGroupNotFound", $"Resource group '{group}' could not be found.")
                : new(200, new { value = Permissions.Select(p => new { actions = p.Actions, notActions = p.NotActions, dataActions = Array.Empty<string>(), notDataActions = Array.Empty<string>() }) });
        }
        if (path.EndsWith("/providers/Microsoft.PolicyInsights/checkPolicyRestrictions", StringComparison.OrdinalIgnoreCase))
        {
            using var body = JsonDocument.Parse(new StreamReader(context.Request.Body).ReadToEndAsync().GetAwaiter().GetResult());
            var content = body.RootElement.GetProperty("resourceDetails").GetProperty("resourceContent");
            var evaluations = PolicyDenials.Where(d => d.Denies(content)).Select(d => new
            {
                policyInfo = new { policyDefinitionId = "/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c", policyAssignmentId = d.AssignmentId },
                evaluationResult = "NonCompliant",
                evaluationDetails = new { evaluatedExpressions = new[] { new { result = "True", expressionKind = "field", expression = d.Field, path = d.Field } }, reason = d.Reason },
                effectDetails = new { policyEffect = "Deny" },
            }).ToList();
            return new(200, new { fieldRestrictions = Array.Empty<object>(), contentEvaluationResult = new { policyEvaluations = evaluations } });
        }
        if (path.EndsWith("/checkNameAvailability", StringComparison.OrdinalIgnoreCase))
        {
            using var body = JsonDocument.Parse(new StreamReader(context.Request.Body).ReadToEndAsync().GetAwaiter().GetResult());
            var name = body.RootElement.GetProperty("name").GetString()!;
            var taken = TakenNames.Contains(name) || ExistingNames.Contains(name) || DeletedNames.ContainsKey(name);
            return new(200, taken ? new { nameAvailable = false, reason = "AlreadyExists", message = $"The name '{name}' is already in use." } : (object)new { nameAvailable = true });
        }
        if (segments.Contains("deletedAccounts", StringComparer.OrdinalIgnoreCase))
        {
            return Deleted.TryGetValue(segments[^1], out var subdomain)
                ? new(200, new { name = segments[^1], kind = "OpenAI", properties = new { customSubDomainName = subdomain, deletionDate = "2026-11-20T10:00:00Z", scheduledPurgeDate = "2026-11-22T10:00:00Z" } })
                : Error(404, "ResourceNotFound", "The Resource was not found.");
        }
        if (path.EndsWith("/deployments", StringComparison.OrdinalIgnoreCase))
        {
            var account = Accounts[segments[^2]];
            return new(200, new
            {
                value = account.Deployments.Select(d => new
                {
                    name = d.Name,
                    sku = new { name = d.Sku, capacity = d.Capacity },
                    properties = DeploymentModels.TryGetValue($"{segments[^2]}/{d.Name}", out var m)
                        ? (object)new { provisioningState = "Succeeded", model = new { format = "OpenAI", name = m.Model, version = m.Version } }
                        : new { provisioningState = "Succeeded" },
                }).ToList(),
            });
        }
        if (segments.Length > 2 && segments[^2].Equals("accounts", StringComparison.OrdinalIgnoreCase))
        {
            if (!Accounts.TryGetValue(segments[^1], out var account))
            {
                return Error(404, "ResourceGroupNotFound", "Resource group could not be found.");
            }
            var kind = Kinds.TryGetValue(segments[^1], out var k) ? k : "OpenAI";
            var preview = context.Request.Query["api-version"].ToString().EndsWith("-preview", StringComparison.Ordinal);
            if (preview && PreviewUnsupported)
            {
                return Error(400, "InvalidApiVersionParameter", "The api-version is invalid.");
            }
            var properties = new Dictionary<string, object>
            {
                ["customSubDomainName"] = account.Subdomain,
                ["provisioningState"] = "Succeeded",
                ["encryption"] = new { keySource = CustomerManagedKeys.Contains(segments[^1]) ? "Microsoft.KeyVault" : "Microsoft.CognitiveServices" },
            };
            if (preview && AutoUpgrades.TryGetValue(segments[^1], out var schedule))
            {
                properties["foundryAutoUpgrade"] = schedule;
            }
            return new(200, new { name = segments[^1], kind, properties });
        }
        return Error(404, "NotFound", $"the fake has no route for {path}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
