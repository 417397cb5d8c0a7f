using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FluxSuite.Host.Tests;

/// <summary>
/// scripts/run.sh and scripts/test.sh share scripts/lib/postgres.sh for their local cluster. Run as
/// root, the cluster belongs to the postgres user, who cannot enter a checkout under /root or in a
/// <c>mktemp -d</c> folder; the script must still initialise and start a cluster for such a checkout.
/// </summary>
public sealed class CheckoutFolderTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Given_a_checkout_the_postgres_user_cannot_enter_Then_the_cluster_script_starts_a_cluster_for_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && await IsRootWithPostgresAsync(), "Needs root and PostgreSQL installed: only then does the cluster belong to another user.");
        var folder = Directory.CreateTempSubdirectory("fluxsuite-checkout-");
        File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var checkout = Path.Combine(folder.FullName, "fs");
        Directory.CreateDirectory(Path.Combine(checkout, "scripts", "lib"));
        File.Copy(Path.Combine(RepositoryRoot(), "scripts", "lib", "postgres.sh"), Path.Combine(checkout, "scripts", "lib", "postgres.sh"));
        var port = FreePort();
        // Where the script keeps the cluster of a checkout the postgres user cannot reach.
        var data = $"/var/lib/fluxsuite/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(checkout)))[..12]}/postgres";
        try
        {
            Assert.False(await RunAsync("/", port, $"runuser -u postgres -- test -x '{checkout}'") is (0, _), "The postgres user can enter the test folder.");

            var (exit, output) = await RunAsync(checkout, port,
                """source scripts/lib/postgres.sh && flux_pg_ensure && flux_psql -d postgres -tAc "SELECT 'answered ' || 6 * 7" """);

            Assert.True(exit == 0, output);
            Assert.Contains("answered 42", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Permission denied", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "PG_VERSION")), output);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                await RunAsync("/", port, $"""source "{checkout}/scripts/lib/postgres.sh" && flux_as_owner "$(flux_pg_bin)/pg_ctl" -D "{data}" -m immediate -w stop""");
                Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
            }

            folder.Delete(recursive: true);
        }
    }

    private static async Task<bool> IsRootWithPostgresAsync() =>
        Directory.Exists("/usr/lib/postgresql") && await RunAsync("/", 0, "[ \"$(id -u)\" = 0 ] && id postgres") is (0, _);

    private static async Task<(int Exit, string Output)> RunAsync(string directory, int port, string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FLUXSUITE_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment.Remove("FLUXSUITE_PG_DATA");
        start.Environment.Remove("FLUX_ROOT");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FluxSuite.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FluxSuite.sln not found above " + AppContext.BaseDirectory);
    }
}
