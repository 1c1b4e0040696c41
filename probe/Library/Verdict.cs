namespace AzureOpenAi.Probe;

/// <summary>What one deployment's probe concluded (the verdicts of the probe contract in docs/design.md).</summary>
public enum Verdict
{
    /// <summary>A chat completion came back (any finish_reason).</summary>
    Pass,
    /// <summary>Still 429 after the bounded retries: reachable, authorised, deployed, out of quota.</summary>
    Throttled,
    /// <summary>401 with an invalid key.</summary>
    KeyRejected,
    /// <summary>401: token missing, expired, or wrong audience.</summary>
    TokenRejected,
    /// <summary>401 PermissionDenied after the settle window: the identity lacks a data-plane role.</summary>
    RoleMissing,
    /// <summary>403 AuthenticationTypeDisabled: local auth is off.</summary>
    KeyAuthDisabled,
    /// <summary>403 from the network layer, or DNS resolving publicly while public access is disabled.</summary>
    NetworkBlocked,
    /// <summary>404 DeploymentNotFound after the settle window.</summary>
    DeploymentNotFound,
    /// <summary>400 OperationNotSupported: not a chat model.</summary>
    WrongOperation,
    /// <summary>400 content_filter on the probe prompt.</summary>
    ContentFiltered,
    /// <summary>5xx still after the bounded retries.</summary>
    ServerError,
    /// <summary>No response within the per-attempt timeout.</summary>
    Timeout,
    /// <summary>DNS, TCP or TLS failure.</summary>
    Unreachable,
    /// <summary>Anything else, including a body that is not what Azure sends.</summary>
    Unexpected,
}

/// <summary>Wire names and meaning of verdicts.</summary>
public static class VerdictExtensions
{
    /// <summary>The kebab-case name used in reports, e.g. <c>role-missing</c>.</summary>
    public static string ToWireName(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Throttled => "throttled",
        Verdict.KeyRejected => "key-rejected",
        Verdict.TokenRejected => "token-rejected",
        Verdict.RoleMissing => "role-missing",
        Verdict.KeyAuthDisabled => "key-auth-disabled",
        Verdict.NetworkBlocked => "network-blocked",
        Verdict.DeploymentNotFound => "deployment-not-found",
        Verdict.WrongOperation => "wrong-operation",
        Verdict.ContentFiltered => "content-filtered",
        Verdict.ServerError => "server-error",
        Verdict.Timeout => "timeout",
        Verdict.Unreachable => "unreachable",
        _ => "unexpected",
    };

    /// <summary>True for the verdicts that prove the deployment works (exit code 0).</summary>
    public static bool IsHealthy(this Verdict verdict) => verdict is Verdict.Pass or Verdict.Throttled;
}
