using System.CommandLine;
using Azure.Identity;

namespace AzureOpenAi.Probe.Cli;

/// <summary>The <c>probe</c> command line (Contract 3): parse, pick the credential, probe, report, exit code.</summary>
internal static class ProbeCommand
{
    public const string KeyVariable = "AZURE_OPENAI_API_KEY";
    public const string TokenVariable = "AZURE_OPENAI_AD_TOKEN";
    public const string GatewayTokenVariable = "AZURE_OPENAI_GATEWAY_TOKEN";

    public static async Task<int> RunAsync(string[] args, ProbeEnvironment environment, CancellationToken cancellationToken = default)
    {
        var parse = Build(environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per problem, naming the option; `probe --help` lists them all.
            foreach (var error in parse.Errors)
            {
                var oneLine = string.Join(' ', error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await environment.Error.WriteLineAsync($"probe: {oneLine}").ConfigureAwait(false);
            }
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Output, Error = environment.Error }, cancellationToken).ConfigureAwait(false);
    }

    public static RootCommand Build(ProbeEnvironment environment)
    {
        var outputs = new Option<string>("--outputs") { Description = "Stack outputs JSON as printed by `pulumi stack output --json`: a file, or - for standard input." };
        var endpoint = new Option<string>("--endpoint") { Description = "Account endpoint, e.g. https://<subdomain>.openai.azure.com/ (instead of --outputs)." };
        var deployment = new Option<string[]>("--deployment") { Description = "Deployment to probe; repeat for several (with --endpoint)." };
        var auth = new Option<string>("--auth") { Description = $"entra (default): DefaultAzureCredential, or a ready token in {TokenVariable}; key: read from {KeyVariable}. A gateway in the outputs always takes Entra ID: {GatewayTokenVariable}, or DefaultAzureCredential for its audience.", DefaultValueFactory = _ => "entra" };
        auth.AcceptOnlyFromAmong("entra", "key");
        var apiVersion = new Option<string>("--api-version") { Description = "Dated api-version for the classic path. Default 2024-10-21." };
        var api = new Option<string>("--api") { Description = "dated (default): /openai/deployments/{d}/chat/completions; v1: /openai/v1/chat/completions; responses: /openai/v1/responses; all: each of them. A gateway in the outputs is always probed through all three." };
        api.AcceptOnlyFromAmong("dated", "v1", "responses", "all");
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed per attempt. Default 30.", DefaultValueFactory = _ => 30, CustomParser = r => Seconds(r, "--timeout", positive: true) };
        var settle = new Option<double>("--settle") { Description = "Seconds to keep retrying 404 DeploymentNotFound and 401 PermissionDenied right after a deploy. Default 0.", DefaultValueFactory = _ => 0, CustomParser = r => Seconds(r, "--settle", positive: false) };
        var json = new Option<bool>("--json") { Description = "Print one JSON report on stdout." };
        var summary = new Option<string>("--summary") { Description = "Also append the report as Markdown to this file, e.g. $GITHUB_STEP_SUMMARY in a GitHub Actions job." };
        var gatewayTeam = new Option<string[]>("--gateway-team") { Description = $"With --outputs naming a gateway: also probe it as this team (aoai:gateway.teams), with the team's token in {GatewayTokenVariable}_<TEAM> (upper case, '-' as '_'); repeat for several." };

        var root = new RootCommand("Proves each Azure OpenAI deployment answers a first chat call, or says exactly why not.")
        {
            outputs, endpoint, deployment, auth, apiVersion, api, timeout, settle, json, summary, gatewayTeam,
        };
        root.Validators.Add(result =>
        {
            var hasOutputs = result.GetResult(outputs) is not null;
            var hasEndpoint = result.GetResult(endpoint) is not null;
            var deployments = result.GetValue(deployment) ?? [];
            if (hasOutputs == hasEndpoint)
            {
                result.AddError("pass either --outputs <file|-> or --endpoint <url> with --deployment <name>");
            }
            else if (hasEndpoint && deployments.Length == 0)
            {
                result.AddError("--endpoint needs at least one --deployment <name>");
            }
            else if (hasOutputs && deployments.Length > 0)
            {
                result.AddError("--deployment goes with --endpoint; with --outputs every deployment in the outputs is probed");
            }
            if (hasEndpoint && (result.GetValue(gatewayTeam) ?? []).Length > 0)
            {
                result.AddError("--gateway-team goes with --outputs, which names the gateway");
            }
            foreach (var team in result.GetValue(gatewayTeam) ?? [])
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(team, "^[a-z][a-z0-9-]{1,31}$"))
                {
                    result.AddError($"--gateway-team '{team}' is not a team name (2-32 lowercase letters, digits or '-', as in aoai:gateway.teams)");
                }
            }
            // Only the dated path takes an api-version: with v1 or responses alone it would be silently unused.
            if (result.GetResult(apiVersion) is not null && result.GetValue(api) is ("v1" or "responses") and var only)
            {
                result.AddError($"--api {only} has no api-version; pass one of --api-version and --api");
            }
        });

        root.SetAction(async (parse, cancellationToken) =>
        {
            var error = environment.Error;
            try
            {
                var outputsFile = parse.GetValue(outputs);
                var stack = outputsFile is null ? null : await ReadOutputsAsync(outputsFile, environment, cancellationToken).ConfigureAwait(false);
                if ((parse.GetValue(gatewayTeam) ?? []).Length > 0 && stack?.GatewayEndpoint is null)
                {
                    throw new UsageException("--gateway-team needs a gatewayEndpoint in the outputs: this stack has no gateway");
                }
                ProbeClientOptions Options(bool expectPrivate)
                {
                    var options = new ProbeClientOptions
                    {
                        Apis = ApisOf(parse.GetValue(api)),
                        AttemptTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                        SettleWindow = TimeSpan.FromSeconds(parse.GetValue(settle)),
                        ExpectPrivateNetwork = expectPrivate,
                    };
                    if (parse.GetValue(apiVersion) is { } version)
                    {
                        options.ApiVersion = version;
                    }
                    return options;
                }
                var credential = CreateCredential(parse.GetValue(auth) == "key" ? AuthMode.Key : AuthMode.Entra, environment);
                var output = parse.InvocationConfiguration.Output;
                var summaryFile = parse.GetValue(summary);
                if (stack is { HasSeveralEndpoints: true })
                {
                    var teams = (parse.GetValue(gatewayTeam) ?? []).Select(team => (team, TeamCredential(team, environment))).ToList();
                    var fleet = await FleetRun.ProbeAsync(stack, Options, credential, audience => CreateGatewayCredential(audience, environment), teams, cancellationToken).ConfigureAwait(false);
                    await output.WriteAsync(parse.GetValue(json) ? FleetFormatter.ToJson(fleet) + Environment.NewLine : FleetFormatter.ToTable(fleet)).ConfigureAwait(false);
                    if (summaryFile is not null)
                    {
                        await File.AppendAllTextAsync(summaryFile, FleetFormatter.ToMarkdown(fleet), cancellationToken).ConfigureAwait(false);
                    }
                    return fleet.Healthy ? ExitCodes.Healthy : ExitCodes.ProbeFailed;
                }
                var (endpointUri, names, expectPrivate) = stack is not null
                    ? (stack.Endpoint, stack.Deployments, stack.PublicNetworkAccessDisabled)
                    : (EndpointOf(parse.GetValue(endpoint)), parse.GetValue(deployment) ?? [], false);
                using var client = new ProbeClient(endpointUri, credential, Options(expectPrivate));
                var report = CliAdvice.Apply(await client.ProbeAsync(names, cancellationToken).ConfigureAwait(false)) with { AccountKind = stack?.Kind };
                await output.WriteAsync(parse.GetValue(json) ? ReportFormatter.ToJson(report) + Environment.NewLine : ReportFormatter.ToTable(report)).ConfigureAwait(false);
                if (summaryFile is not null)
                {
                    await File.AppendAllTextAsync(summaryFile, ReportFormatter.ToMarkdown(report), cancellationToken).ConfigureAwait(false);
                }
                return report.Healthy ? ExitCodes.Healthy : ExitCodes.ProbeFailed;
            }
            catch (GatewayCredentialException ex)
            {
                var reason = ex.InnerException?.InnerException?.Message.Split('\n', 2)[0].Trim() ?? ex.InnerException?.Message ?? ex.Message;
                await error.WriteLineAsync($"probe: no token for the gateway's audience {ex.Audience} ({reason}). Set {GatewayTokenVariable} to a token for it, or sign in (az login) as an identity holding one of the gateway's app roles.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (ProbeCredentialException ex)
            {
                // One line: DefaultAzureCredential's message lists every credential it tried, over a kilobyte.
                var reason = ex.InnerException?.Message.Split('\n', 2)[0].Trim() ?? ex.Message;
                await error.WriteLineAsync($"probe: no credential ({reason}). Run az login (or sign in another way DefaultAzureCredential knows), set {TokenVariable}, or use --auth key with {KeyVariable}.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (ArgumentException ex)
            {
                // The option, not the .NET parameter name: "(Parameter 'endpoint')" means nothing on a command line.
                var message = ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;
                await error.WriteLineAsync($"probe: {message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UsageException)
            {
                await error.WriteLineAsync($"probe: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        });
        return root;
    }

    /// <summary>The APIs <c>--api</c> names; every one for <c>all</c>.</summary>
    internal static IReadOnlyList<ProbeApi> ApisOf(string? value) => value switch
    {
        "v1" => [ProbeApi.V1],
        "responses" => [ProbeApi.Responses],
        "all" => AllApis,
        _ => [ProbeApi.Dated],
    };

    /// <summary>What a gateway routes with one policy, so what its probe proves.</summary>
    internal static readonly IReadOnlyList<ProbeApi> AllApis = [ProbeApi.Dated, ProbeApi.V1, ProbeApi.Responses];

    /// <summary>
    /// A number of seconds, as the option's one line: "30s" or "abc" is an error naming the option,
    /// never an exception (System.CommandLine's own conversion error would surface as one in the validators).
    /// </summary>
    private static double Seconds(System.CommandLine.Parsing.ArgumentResult result, string option, bool positive)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && (positive ? value > 0 : value >= 0) && value <= 86_400)
        {
            return value;
        }
        result.AddError($"{option} '{text}' is not {(positive ? "a positive" : "zero or a positive")} number of seconds (at most 86400), e.g. {option} 30");
        return 0;
    }

    private static async Task<StackOutputs> ReadOutputsAsync(string path, ProbeEnvironment environment, CancellationToken cancellationToken)
    {
        var text = path == "-"
            ? await environment.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
            : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return StackOutputs.Parse(text, path == "-" ? "standard input" : path);
    }

    private static Uri EndpointOf(string? endpoint) => Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
        ? uri
        : throw new UsageException($"--endpoint '{endpoint}' is not an absolute URL such as https://<subdomain>.openai.azure.com/");

    /// <summary>The gateway checks its own audience, never the accounts': a ready token, or one for <c>&lt;audience&gt;/.default</c>.</summary>
    private static ProbeCredential CreateGatewayCredential(string audience, ProbeEnvironment environment)
    {
        var token = environment.GetVariable(GatewayTokenVariable);
        return string.IsNullOrWhiteSpace(token)
            ? ProbeCredential.FromTokenCredential(environment.Credential ?? new DefaultAzureCredential(), $"{audience.TrimEnd('/')}/.default")
            : ProbeCredential.FromAccessToken(token.Trim());
    }

    /// <summary>The variable a team's gateway token is read from: <c>AZURE_OPENAI_GATEWAY_TOKEN_SUPPORT</c> for <c>support</c>.</summary>
    internal static string TeamTokenVariable(string team) => $"{GatewayTokenVariable}_{team.ToUpperInvariant().Replace('-', '_')}";

    /// <summary>A team's own token: only from its variable, since DefaultAzureCredential is the pipeline's identity, not the team's.</summary>
    private static ProbeCredential TeamCredential(string team, ProbeEnvironment environment)
    {
        var variable = TeamTokenVariable(team);
        var token = environment.GetVariable(variable);
        return string.IsNullOrWhiteSpace(token)
            ? throw new UsageException($"--gateway-team {team} reads the team's token from {variable}, which is not set; put a token for the gateway's audience from one of the team's applications there")
            : ProbeCredential.FromAccessToken(token.Trim());
    }

    private static ProbeCredential CreateCredential(AuthMode mode, ProbeEnvironment environment)
    {
        if (mode == AuthMode.Key)
        {
            var key = environment.GetVariable(KeyVariable);
            return string.IsNullOrWhiteSpace(key)
                ? throw new UsageException($"--auth key reads the key from {KeyVariable}, which is not set (keys are never taken from the command line)")
                : ProbeCredential.FromKey(key.Trim());
        }
        var token = environment.GetVariable(TokenVariable);
        return string.IsNullOrWhiteSpace(token)
            ? ProbeCredential.FromTokenCredential(environment.Credential ?? new DefaultAzureCredential())
            : ProbeCredential.FromAccessToken(token.Trim());
    }

    private sealed class UsageException(string message) : Exception(message);
}
