namespace AzureOpenAi.Probe.Cli;

/// <summary>The probe's exit codes (Contract 3).</summary>
internal static class ExitCodes
{
    /// <summary>Every deployment is pass or throttled.</summary>
    public const int Healthy = 0;
    /// <summary>At least one deployment has another verdict.</summary>
    public const int ProbeFailed = 1;
    /// <summary>Bad command line or input: nothing was probed.</summary>
    public const int UsageError = 2;
}
