namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>How <c>http&gt;</c> serializes <c>content</c> (Digdag's <c>content_format</c>).</summary>
public enum HttpContentFormat
{
    /// <summary>A scalar sent as is, <c>text/plain</c>.</summary>
    Text,

    /// <summary>Any value serialized as JSON, <c>application/json</c>.</summary>
    Json,

    /// <summary>An object encoded as an HTML form, <c>application/x-www-form-urlencoded</c>.</summary>
    Form,
}
