namespace AzureOpenAi.Preflight.Cli;

/// <summary>The preflight's exit codes (the preflight contract in docs/design.md).</summary>
internal static class ExitCodes
{
    /// <summary>No row fails; warnings allowed.</summary>
    public const int Passed = 0;
    /// <summary>At least one row fails, including an ARM answer that could not be read.</summary>
    public const int Failed = 1;
    /// <summary>Bad command line or input (plan, subscription, credential): nothing was checked.</summary>
    public const int UsageError = 2;
}
