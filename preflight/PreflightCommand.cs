using System.CommandLine;
using Azure.Core;
using Azure.Identity;

namespace AzureOpenAi.Preflight.Cli;

/// <summary>The <c>preflight</c> command line: read the plan, pick the subscription and credential, check, report, exit code.</summary>
internal static class PreflightCommand
{
    public const string TokenVariable = "AZURE_ARM_TOKEN";
    private static readonly string[] SubscriptionVariables = ["ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"];

    public static async Task<int> RunAsync(string[] args, PreflightEnvironment environment, CancellationToken cancellationToken = default)
    {
        var parse = Build(environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                var oneLine = string.Join(' ', error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await environment.Error.WriteLineAsync($"preflight: {oneLine}").ConfigureAwait(false);
            }
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Output, Error = environment.Error }, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand Build(PreflightEnvironment environment)
    {
        var plan = new Option<string>("--plan") { Description = "The plan for the real subscription (npm run -s plan -- <stack> --json --subscription-id <guid>): a file, or - for standard input.", Required = true };
        var subscription = new Option<string>("--subscription-id") { Description = "Default: the plan's subscription; else ARM_SUBSCRIPTION_ID or AZURE_SUBSCRIPTION_ID." };
        var warnDays = new Option<int>("--retire-warn-days") { Description = "Warn when a model version retires within this many days. Default 90.", DefaultValueFactory = _ => 90, CustomParser = Days };
        var armEndpoint = new Option<string>("--arm-endpoint") { Description = "Azure Resource Manager. Default https://management.azure.com/ (http only to a loopback address, for tests)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one ARM call may take, retries and Retry-After waits included. Default 30.", DefaultValueFactory = _ => 30, CustomParser = Seconds };
        var json = new Option<bool>("--json") { Description = "Print one JSON report on stdout." };
        var summary = new Option<string>("--summary") { Description = "Also append the report as Markdown to this file, e.g. $GITHUB_STEP_SUMMARY." };
        var register = new Option<bool>("--register") { Description = "Register each resource provider the plan needs and the subscription lacks (needs <namespace>/register/action), then wait for it." };
        var registerTimeout = new Option<double>("--register-timeout") { Description = "Seconds to wait for a registration to read Registered. Default 300, at most 3600.", DefaultValueFactory = _ => 300, CustomParser = Seconds };
        var writeLifecycle = new Option<string>("--write-lifecycle") { Description = "Also write the lifecycle of every OpenAI model version in the plan's regions to this file (infra/deployments/data/modelLifecycle.json), whole or not at all." };
        var root = new RootCommand($"Checks a stack's plan against the subscription it will be deployed to, before pulumi up. Credential: DefaultAzureCredential, or a ready ARM token in {TokenVariable}.")
        {
            plan, subscription, warnDays, armEndpoint, timeout, json, summary, register, registerTimeout, writeLifecycle,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var planPath = parse.GetValue(plan)!;
                var text = planPath == "-" ? await environment.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : await File.ReadAllTextAsync(planPath, cancellationToken).ConfigureAwait(false);
                var preflightPlan = PreflightPlan.Parse(text, planPath == "-" ? "standard input" : planPath);
                var subscriptionId = ChooseSubscription(preflightPlan, parse.GetValue(subscription), environment);
                var options = new PreflightClientOptions
                {
                    CallTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    RetireWarnDays = parse.GetValue(warnDays),
                    Register = parse.GetValue(register),
                    RegisterTimeout = TimeSpan.FromSeconds(Math.Min(parse.GetValue(registerTimeout), 3600)),
                };
                if (parse.GetValue(armEndpoint) is { } endpoint)
                {
                    options.ArmEndpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : throw new UsageException($"--arm-endpoint '{endpoint}' is not an absolute URL");
                }
                var client = new PreflightClient(Credential(environment), options);
                var report = await client.CheckAsync(preflightPlan, subscriptionId, cancellationToken).ConfigureAwait(false);
                await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(json) ? ReportFormatter.ToJson(report) + Environment.NewLine : ReportFormatter.ToTable(report)).ConfigureAwait(false);
                if (parse.GetValue(summary) is { } file)
                {
                    await File.AppendAllTextAsync(file, ReportFormatter.ToMarkdown(report), cancellationToken).ConfigureAwait(false);
                }
                if (parse.GetValue(writeLifecycle) is { } lifecycleFile)
                {
                    try
                    {
                        var entries = await client.ReadLifecycleAsync(preflightPlan.Accounts.Select(a => a.Location), subscriptionId, cancellationToken).ConfigureAwait(false);
                        await WriteWholeAsync(lifecycleFile, LifecycleData.ToJson(entries, options.Clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
                    {
                        await environment.Error.WriteLineAsync($"preflight: --write-lifecycle {lifecycleFile}: {ex.Message}").ConfigureAwait(false);
                        return ExitCodes.Failed;
                    }
                }
                return report.Passed ? ExitCodes.Passed : ExitCodes.Failed;
            }
            catch (AuthenticationFailedException ex)
            {
                var reason = ex.Message.Split('\n', 2)[0].Trim();
                await environment.Error.WriteLineAsync($"preflight: no ARM credential ({reason}). Run az login, or set {TokenVariable}.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (ArgumentException ex)
            {
                var message = ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;
                await environment.Error.WriteLineAsync($"preflight: {message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UsageException)
            {
                await environment.Error.WriteLineAsync($"preflight: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        });
        return root;
    }

    /// <summary>
    /// Writes a file whole or not at all: into a partial file of its own beside it, created new (so no
    /// link or file planted under that name is followed or reused), then moved over the file. On any
    /// failure the partial file is removed and the file is as it was.
    /// </summary>
    private static async Task WriteWholeAsync(string file, string text, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file))
        {
            throw new IOException("is a directory; nothing was written");
        }
        var partial = $"{file}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            File.Move(partial, file, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>
    /// The plan's ids, subdomain and scopes are only right for the subscription it was rendered for,
    /// so a different one is refused, and a placeholder plan is never checked.
    /// </summary>
    private static string ChooseSubscription(PreflightPlan plan, string? given, PreflightEnvironment environment)
    {
        // A placeholder plan's subdomains, vault and gateway names are derived from the all-zero id: checked
        // against a real subscription they would be reported free whatever the real ones are. Never checked.
        if (plan.SubscriptionId == PreflightPlan.PlaceholderSubscription)
        {
            var real = given ?? SubscriptionVariables.Select(environment.GetVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "<guid>";
            throw new UsageException($"the plan was rendered for the placeholder subscription {PreflightPlan.PlaceholderSubscription}, so its derived names (subdomains, vaults, gateway) are not the ones pulumi up will create: render it for the real one (npm run -s plan -- {plan.Stack} --json --subscription-id {real})");
        }
        var fromPlan = plan.SubscriptionId;
        var chosen = given ?? fromPlan;
        if (!Guid.TryParse(chosen, out _))
        {
            throw new UsageException($"--subscription-id '{chosen}' is not a GUID (az account show --query id -o tsv)");
        }
        if (!chosen.Equals(fromPlan, StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"the plan was rendered for subscription {fromPlan}, not {chosen}: its ids and derived subdomain would be wrong; render it again with --subscription-id {chosen}");
        }
        return chosen.ToLowerInvariant();
    }

    private static TokenCredential Credential(PreflightEnvironment environment) =>
        environment.GetVariable(TokenVariable) is { Length: > 0 } token ? new StaticToken(token.Trim()) : environment.Credential ?? new DefaultAzureCredential();

    /// <summary>A ready ARM token from the environment; never printed.</summary>
    private sealed class StaticToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddMinutes(5));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed class UsageException(string message) : Exception(message);

    private static string TokenText(System.CommandLine.Parsing.ArgumentResult result) => string.Join(' ', result.Tokens.Select(t => t.Value));

    /// <summary>--timeout as one line on a bad value ("30s", "abc"), never an exception.</summary>
    private static double Seconds(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = TokenText(result);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 && value <= 3600)
        {
            return value;
        }
        result.AddError($"--timeout '{text}' is not a positive number of seconds (at most 3600), e.g. --timeout 30");
        return 0;
    }

    /// <summary>--retire-warn-days as one line on a bad value, never an exception.</summary>
    private static int Days(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = TokenText(result);
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 3650)
        {
            return value;
        }
        result.AddError($"--retire-warn-days '{text}' is not a whole number of days from 0 to 3650, e.g. --retire-warn-days 90");
        return 0;
    }
}
