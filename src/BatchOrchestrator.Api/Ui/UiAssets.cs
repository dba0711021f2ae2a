using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace BatchOrchestrator.Api.Ui;

/// <summary>One file of the web UI, read once from the assembly, with its content type and an ETag of its bytes.</summary>
internal sealed record UiAsset(string Path, byte[] Content, string ContentType, EntityTagHeaderValue ETag);

/// <summary>
/// The web UI's files, embedded in this assembly under the logical name <c>ui/&lt;path&gt;</c>
/// (see the csproj). Loaded once per mapped app; the ETag is a hash of the bytes, so a browser
/// revalidates cheaply and a new build of the UI is never served stale from its cache.
/// </summary>
internal sealed class UiAssets
{
    private const string Prefix = "ui/";

    private readonly Dictionary<string, UiAsset> _assets;

    private UiAssets(Dictionary<string, UiAsset> assets) => _assets = assets;

    /// <summary>The UI's entry page, served for <c>/</c> and for every client-side route.</summary>
    public UiAsset Index => _assets["index.html"];

    public static UiAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // MSBuild's RecursiveDir uses the OS separator; request paths always use '/'.
            var logical = name.Replace('\\', '/');
            if (!logical.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The embedded UI file {name} cannot be read.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var path = logical[Prefix.Length..];
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
            assets[path] = new UiAsset(path, content, ContentTypeOf(path), etag);
        }

        if (!assets.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("The web UI's index.html is not embedded in the Api assembly.");
        }

        return new UiAssets(assets);
    }

    public UiAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".json" => "application/json; charset=utf-8",
        _ => "application/octet-stream",
    };
}
