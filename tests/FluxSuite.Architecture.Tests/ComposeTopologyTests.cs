using System.Diagnostics;

namespace FluxSuite.Architecture.Tests;

/// <summary>
/// docker-compose.yml describes the topology of scripts/cluster.sh (nginx, the app scaled to several
/// replicas, PgBouncer, PostgreSQL), checked with the Compose tooling's own parser (<c>config</c> needs no
/// engine); and nginx accepts the configuration it mounts. Skipped where the tools are not installed.
/// </summary>
public sealed class ComposeTopologyTests
{
    [Fact]
    public void Given_the_compose_file_Then_Compose_accepts_it_and_it_has_the_cluster_topology()
    {
        var root = RepositoryRoot();
        var environment = new Dictionary<string, string> { ["FLUXSUITE_ADMIN_KEY"] = "compose-check-admin-key", ["FLUXSUITE_JWT_KEY"] = "compose-check-jwt-key" };
        var result = Run("docker", ["compose", "config"], root, environment);
        if (result is null || result.Value.Code != 0)
        {
            // The Compose v2 plugin is missing: Debian's docker-compose (v1) reads the same file.
            result = Run("docker-compose", ["config"], root, environment);
        }

        if (result is null)
        {
            Assert.Skip("neither 'docker compose' nor 'docker-compose' is installed");
        }

        var (code, output) = result.Value;
        Assert.True(code == 0, output);
        foreach (var service in new[] { "postgres:", "pgbouncer:", "app:", "nginx:" })
        {
            Assert.Contains(service, output, StringComparison.Ordinal);
        }

        Assert.Matches(@"replicas:\s*'?3'?", output);
        Assert.Contains("ConnectionStrings__Default: Host=pgbouncer;Port=6432", output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Direct: Host=postgres;Port=5432", output, StringComparison.Ordinal);
        Assert.Matches(@"127\.0\.0\.1:5088:80", output);
    }

    [Fact]
    public void Given_the_compose_nginx_configuration_Then_nginx_accepts_it()
    {
        var root = RepositoryRoot();
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null;
        if (nginx is null)
        {
            Assert.Skip("nginx is not installed");
        }

        // "app" resolves only inside Compose's network; the rest of the file is checked as it is.
        var directory = Directory.CreateTempSubdirectory("fluxsuite-nginx-");
        try
        {
            var config = Path.Combine(directory.FullName, "nginx.conf");
            File.WriteAllText(config, File.ReadAllText(Path.Combine(root, "docker", "nginx.conf"))
                .Replace("server app:8080", "server 127.0.0.1:8080", StringComparison.Ordinal)
                .Replace("worker_processes 1;", $"worker_processes 1;\npid {directory.FullName}/nginx.pid;", StringComparison.Ordinal));
            var result = Run(nginx, ["-t", "-q", "-c", config, "-e", Path.Combine(directory.FullName, "error.log")], directory.FullName, []);
            Assert.NotNull(result);
            Assert.True(result.Value.Code == 0, result.Value.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Runs a tool; null when it is not installed.</summary>
    private static (int Code, string Output)? Run(string file, string[] arguments, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 60 s");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
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
