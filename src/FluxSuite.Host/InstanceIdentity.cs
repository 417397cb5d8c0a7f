namespace FluxSuite.Host;

/// <summary>
/// This instance's name, sent in the <c>X-Instance</c> response header and added to every log event
/// (property <c>Instance</c>), so that behind a load balancer a client and a log reader can tell which
/// host answered. Configured by <c>Instance:Name</c>; without it, the machine's name, the process id and
/// a short random suffix (unique also when several hosts share a process, as in the tests).
/// </summary>
internal sealed class InstanceIdentity
{
    public const string Section = "Instance";

    public const string Header = "X-Instance";

    public InstanceIdentity(IConfiguration configuration)
    {
        var configured = configuration[$"{Section}:Name"];
        Configured = !string.IsNullOrWhiteSpace(configured);
        Name = Configured
            ? configured!.Trim()
            : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();
    }

    public string Name { get; }

    /// <summary>Whether the name was configured (else it was made up at start-up).</summary>
    public bool Configured { get; }
}
