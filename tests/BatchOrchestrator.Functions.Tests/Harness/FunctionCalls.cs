using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Converters;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// Calls one instance's HTTP and timer functions (<c>StartSession</c>, <c>Api</c>, <c>OpenApi</c>,
/// <c>Ui</c>, <c>ScheduleTick</c>) the way the isolated worker invokes them, with real objects
/// where the worker would hand over real objects:
/// <list type="bullet">
/// <item>The function's class is created per invocation from the instance's services, in a scope
/// of its own (the worker's activator and <c>FunctionContext.InstanceServices</c>).</item>
/// <item>The <c>HttpRequest</c> is an ASP.NET Core <see cref="DefaultHttpContext"/> with the
/// invocation's scope as its <c>RequestServices</c> (as the integration's request-services
/// middleware sets them), a body, headers, <c>RequestAborted</c>, and the public scheme and host:
/// what the integration's forwarded-headers middleware leaves on a request the Functions host
/// proxied. The response body is captured.</item>
/// <item>The <c>[DurableClient]</c> parameter comes from the Durable extension's own input
/// converter (the one <see cref="DurableClientAttribute"/> names), fed the binding data the
/// Functions host's Durable extension sends (the task hub's gRPC endpoint, here the test host's
/// sidecar; the task hub, connection, the webhook base URL and its query string with the
/// system key): the app gets the extension's Functions client, over gRPC, as on Azure.</item>
/// <item>The <see cref="FunctionContext"/> carries what the ASP.NET Core integration attaches to an
/// HTTP invocation: the <c>HttpContext</c> (read by <c>GetHttpContext()</c>) and the
/// integration's own <see cref="IHttpRequestDataFeature"/>, so <c>GetHttpRequestDataAsync()</c>
/// returns the integration's <c>HttpRequestData</c> over the real request.</item>
/// <item>The returned <c>IActionResult</c> is executed on the <c>HttpContext</c> as the
/// integration's proxying middleware executes it.</item>
/// </list>
/// Not run: the Functions host (its routing, function keys, proxying) and the worker's gRPC
/// invocation pipeline; they cannot run here (docs: the Functions host is not installable).
/// </summary>
internal sealed class FunctionCalls(FunctionsApp instance, int sidecarPort)
{
    /// <summary>The app's public host name, as clients reach it.</summary>
    public const string PublicHost = "bo-test.example";

    /// <summary>The task hub's name, as the app's <c>BO_TASK_HUB</c> would name it.</summary>
    public const string TaskHub = "botest";

    /// <summary>The storage connection's setting name host.json names.</summary>
    public const string Connection = "AzureWebJobsStorage";

    /// <summary>Stands for the Durable extension's system key, which the Functions host puts in the management URLs.</summary>
    public const string SystemKey = "durabletask-extension-key";

    /// <summary>The query string the Functions host's Durable extension gives the client binding for management URLs.</summary>
    public static string ManagementQuery => $"taskHub={TaskHub}&connection={Connection}&code={SystemKey}";

    private static readonly Lazy<IHttpRequestDataFeature> AspNetCoreRequestData = new(FindAspNetCoreRequestDataFeature);

    public IServiceProvider Services => instance.Services;

    /// <summary>An HTTP function: the request built from the arguments, the function's answer executed on it and read back.</summary>
    public async Task<HttpAnswer> HttpAsync<TFunction>(
        string method,
        string target,
        Func<TFunction, HttpRequest, DurableTaskClient, FunctionContext, Task<IActionResult>> call,
        HttpBody? body,
        CancellationToken cancellationToken)
        where TFunction : class
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var scope = instance.Services.CreateAsyncScope();
        var http = Request(scope.ServiceProvider, method, target, body, cancellationToken);
        var response = new MemoryStream();
        http.Response.Body = response;
        var context = new InvocationContext(typeof(TFunction).Name, scope.ServiceProvider, cancellationToken);
        context.Items["HttpRequestContext"] = http;
        context.Features.Set(AspNetCoreRequestData.Value);
        if (context.GetHttpContext() != http)
        {
            throw new InvalidOperationException("The ASP.NET Core integration no longer finds the HttpContext where the harness puts it.");
        }

        var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);
        var result = await call(function, http.Request, await BindDurableClientAsync(context), context);
        await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
        return new HttpAnswer(http.Response.StatusCode, http.Response.ContentType, Encoding.UTF8.GetString(response.ToArray()), http.Response.Headers);
    }

    /// <summary>A timer function: a <see cref="TimerInfo"/> for an on-time tick, the Durable client binding, the cancellation token.</summary>
    public async Task TimerAsync<TFunction>(Func<TFunction, TimerInfo, DurableTaskClient, CancellationToken, Task> call, CancellationToken cancellationToken)
        where TFunction : class
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var scope = instance.Services.CreateAsyncScope();
        var context = new InvocationContext(typeof(TFunction).Name, scope.ServiceProvider, cancellationToken);
        var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);
        await call(function, new TimerInfo { IsPastDue = false }, await BindDurableClientAsync(context), cancellationToken);
    }

    /// <summary>The <c>[DurableClient]</c> binding: the extension's converter turns the host's binding data into its client.</summary>
    private async Task<DurableTaskClient> BindDurableClientAsync(FunctionContext context)
    {
        var converterType = typeof(DurableClientAttribute).GetCustomAttribute<InputConverterAttribute>()?.ConverterType
            ?? throw new InvalidOperationException("DurableClientAttribute names no input converter any more.");
        var converter = (IInputConverter)ActivatorUtilities.CreateInstance(instance.Services, converterType);
        var bindingData = JsonSerializer.Serialize(new
        {
            rpcBaseUrl = $"http://127.0.0.1:{sidecarPort}",
            taskHubName = TaskHub,
            connectionName = Connection,
            requiredQueryStringParameters = ManagementQuery,
            httpBaseUrl = $"https://{PublicHost}/runtime/webhooks/durabletask",

            // The host extension's defaults (its MaxGrpcMessageSizeInBytes and GrpcHttpClientTimeout options).
            maxGrpcMessageSizeInBytes = 4 * 1024 * 1024,
            grpcHttpClientTimeout = JsonSerializer.Serialize(TimeSpan.FromSeconds(100)),
        });
        var conversion = await converter.ConvertAsync(new BindingConversion(typeof(DurableTaskClient), bindingData, context));
        return conversion.Status == ConversionStatus.Succeeded && conversion.Value is DurableTaskClient client
            ? client
            : throw new InvalidOperationException($"The Durable extension did not bind a client ({conversion.Status}).", conversion.Error);
    }

    private static DefaultHttpContext Request(IServiceProvider services, string method, string target, HttpBody? body, CancellationToken cancellationToken)
    {
        var http = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        var request = http.Request;
        request.Method = method;
        request.Scheme = "https";
        request.Host = new HostString(PublicHost);
        var query = target.IndexOf('?', StringComparison.Ordinal);
        // The target as sent (escaped); the path as a server hands it over (unescaped, as Kestrel does).
        request.Path = PathString.FromUriComponent(query < 0 ? target : target[..query]);
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(target[query..]);
        if (body is not null)
        {
            request.Body = new MemoryStream(body.Content, writable: false);
            request.ContentType = body.ContentType;

            // A chunked request (a client streaming its body) has no length; the worker's request then has none either.
            request.ContentLength = body.Chunked ? null : body.Content.Length;
            if (body.Chunked)
            {
                request.Headers.TransferEncoding = "chunked";
            }
        }

        return http;
    }

    /// <summary>The integration's request-data feature: internal to it, so found by name; its absence fails every HTTP test at once.</summary>
    private static IHttpRequestDataFeature FindAspNetCoreRequestDataFeature()
    {
        const string name = "Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore.AspNetCoreHttpRequestDataFeature";
        var type = typeof(FunctionsApplicationBuilderAspNetCoreExtensions).Assembly.GetType(name)
            ?? throw new InvalidOperationException($"The ASP.NET Core integration has no {name} any more: see how it gives functions their HttpRequestData now.");
        return type.GetProperty("Instance", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as IHttpRequestDataFeature
            ?? throw new InvalidOperationException($"{name} has no Instance any more.");
    }

    /// <summary>
    /// The invocation's context as far as the app's HTTP and timer functions use it. The worker's
    /// own is internal to it and built from the Functions host's gRPC invocation; what this one
    /// does not carry throws, so a function that starts using it is noticed here.
    /// </summary>
    private sealed class InvocationContext(string functionName, IServiceProvider services, CancellationToken cancellationToken) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();

        public override string FunctionId => functionName;

        public override TraceContext TraceContext => throw NotCarried(nameof(TraceContext));

        public override BindingContext BindingContext => throw NotCarried(nameof(BindingContext));

        public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext => throw NotCarried(nameof(RetryContext));

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition => throw NotCarried(nameof(FunctionDefinition));

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features { get; } = new Features();

        public override CancellationToken CancellationToken => cancellationToken;

        private static NotSupportedException NotCarried(string member) =>
            new($"The test's FunctionContext carries no {member}: the function now uses it, so the harness must provide it.");
    }

    private sealed class Features : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public void Set<T>(T instance) => _features[typeof(T)] = instance!;

        public T Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default!;

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class BindingConversion(Type targetType, object source, FunctionContext context) : ConverterContext
    {
        public override Type TargetType => targetType;

        public override object? Source => source;

        public override FunctionContext FunctionContext => context;

        public override IReadOnlyDictionary<string, object> Properties { get; } = new Dictionary<string, object>();
    }
}

/// <summary>A request body: its bytes, its content type, and whether it is sent chunked (without a length).</summary>
internal sealed record HttpBody(byte[] Content, string ContentType, bool Chunked = false)
{
    public static HttpBody Json(string json, bool chunked = false) => new(Encoding.UTF8.GetBytes(json), "application/json", chunked);
}

/// <summary>What the function answered: status, content type, body text, headers.</summary>
internal sealed record HttpAnswer(int Status, string? ContentType, string Body, IHeaderDictionary Headers)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"{Status} {ContentType}: {Body}";
}
