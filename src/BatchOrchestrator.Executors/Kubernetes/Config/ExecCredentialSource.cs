using System.Diagnostics;
using System.Net.Http.Headers;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>
/// Runs a kubeconfig <c>exec</c> plugin (e.g. <c>kubelogin get-token</c>) and keeps its credential
/// until <c>expirationTimestamp</c> (or a 401): concurrent callers share one run of the plugin.
/// </summary>
public sealed class ExecCredentialSource(KubeconfigExec exec, KubeconfigCluster? cluster, string userName, TimeProvider? time = null) : IRenewableTokenProvider
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExecCredential? _cached;

    private string What => $"The exec credential plugin '{exec.Command}' of kubeconfig user '{userName}'";

    public async Task<ExecCredential> GetCredentialAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && (cached.Expires is not { } expires || _time.GetUtcNow() < expires))
            {
                return cached;
            }

            _cached = await RunAsync(cancellationToken).ConfigureAwait(false);
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var credential = await GetCredentialAsync(cancellationToken).ConfigureAwait(false);
        return credential.Token is { } token ? new AuthenticationHeaderValue("Bearer", token) : throw new KubernetesConfigException($"{What} gave a client certificate, not a token.");
    }

    public void Invalidate()
    {
        // Racing a concurrent refresh is harmless: at worst the plugin runs once more.
        _cached = null;
    }

    private async Task<ExecCredential> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in exec.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in exec.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = ExecCredentialProtocol.ExecInfo(exec, cluster);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubernetesConfigException($"{What} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            var hint = exec.InstallHint is { Length: > 0 } h ? " " + h.Trim() : "";
            throw new KubernetesConfigException($"{What} could not be started: {e.Message}.{hint}", e);
        }

        using (process)
        {
            // Stdin closed at once: a plugin that wants to prompt fails instead of waiting forever.
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new KubernetesConfigException($"{What} failed with exit code {process.ExitCode}{(errors.Length > 0 ? ": " + errors : ".")}");
            }

            return ExecCredentialProtocol.Parse(output, What);
        }
    }
}
