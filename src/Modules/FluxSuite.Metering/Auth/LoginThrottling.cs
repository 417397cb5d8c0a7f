using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace FluxSuite.Metering.Auth;

/// <summary>
/// Per-email brute-force protection kept in the database, so every host instance sees the same count:
/// within a 15-minute window, from the 3rd failed login on each attempt is slowed (0.5 s more per
/// failure, up to 2 s), and the 5th failure locks the email out for 15 minutes. A success clears it.
/// </summary>
internal sealed class LoginThrottling(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int SlowAfterFailures = 2;
    public const int LockAfterFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan StepDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>A user that does not exist, and a hash of a random password for it.</summary>
    public static readonly User Nobody = new() { Email = string.Empty, PasswordHash = string.Empty };
    public static readonly string NobodyHash = new PasswordHasher<User>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public readonly record struct Admission(TimeSpan? LockedFor, TimeSpan Delay);

    public async Task<Admission> AdmitAsync(string email, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            "SELECT failures, window_started_at, locked_until FROM metering.login_throttles WHERE email = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new Admission(null, TimeSpan.Zero);
        }

        var failures = reader.GetInt32(0);
        var windowStarted = reader.GetFieldValue<DateTimeOffset>(1);
        var lockedUntil = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2);
        if (lockedUntil > now)
        {
            return new Admission(lockedUntil - now, TimeSpan.Zero);
        }

        if (windowStarted + Window <= now || failures < SlowAfterFailures)
        {
            return new Admission(null, TimeSpan.Zero);
        }

        var delay = StepDelay * (failures - SlowAfterFailures + 1);
        return new Admission(null, delay < MaxDelay ? delay : MaxDelay);
    }

    /// <summary>Counts a failure atomically (concurrent attempts cannot both read the old count).</summary>
    public async Task RecordFailureAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO metering.login_throttles AS t (email, failures, window_started_at, locked_until)
            VALUES ($1, 1, $2, NULL)
            ON CONFLICT (email) DO UPDATE SET
                failures = CASE WHEN t.window_started_at + $3 <= $2 OR t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END,
                window_started_at = CASE WHEN t.window_started_at + $3 <= $2 OR t.locked_until <= $2 THEN $2 ELSE t.window_started_at END,
                locked_until = CASE WHEN t.window_started_at + $3 > $2 AND (t.locked_until IS NULL OR t.locked_until > $2)
                                         AND t.failures + 1 >= $4 THEN $2 + $5 ELSE NULL END
            """);
        var now = clock.GetUtcNow();
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = Window });
        command.Parameters.Add(new NpgsqlParameter { Value = LockAfterFailures });
        command.Parameters.Add(new NpgsqlParameter { Value = LockDuration });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResetAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM metering.login_throttles WHERE email = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
