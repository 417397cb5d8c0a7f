using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace FluxSuite.BuildingBlocks.Endpoints;

/// <summary>
/// The success answers of every module's handlers. Each is a typed result: its type tells the OpenAPI
/// document the status and body of the success (so routes do not repeat them), pages that call a handler
/// read its <see cref="IValueHttpResult{TValue}.Value"/>, and it is written in the wire format of the
/// module's route group (<see cref="ApiWireFormat"/>).
/// </summary>
public static class ApiResults
{
    public static ApiOk<T> Ok<T>(T value) => new(value);

    /// <summary>201 with a <c>Location</c> header.</summary>
    public static ApiCreated<T> Created<T>(string location, T value) => new(location, value);

    public static ApiAccepted<T> Accepted<T>(T value) => new(value);
}

/// <summary>A JSON answer with a fixed status, written with the module's JSON options.</summary>
public abstract class ApiJsonResult<T> : IResult, IValueHttpResult<T>, IValueHttpResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    private protected ApiJsonResult(T value, int statusCode)
    {
        Value = value;
        StatusCode = statusCode;
    }

    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public virtual Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var options = ApiWireFormat.JsonOptionsFor(httpContext);
        httpContext.Response.StatusCode = StatusCode;
        // Like the framework's typed results: a value is written as what it is, not only as T declares it.
        var type = Value?.GetType() ?? typeof(T);
        return httpContext.Response.WriteAsJsonAsync(Value, type, options, ContentType, httpContext.RequestAborted);
    }

    private protected static void Document(EndpointBuilder builder, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(T), ["application/json"]));
    }
}

/// <summary>200 with the value.</summary>
public sealed class ApiOk<T>(T value) : ApiJsonResult<T>(value, StatusCodes.Status200OK), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status200OK);
}

/// <summary>201 with the value and a <c>Location</c> header.</summary>
public sealed class ApiCreated<T>(string location, T value) : ApiJsonResult<T>(value, StatusCodes.Status201Created), IEndpointMetadataProvider
{
    public string Location { get; } = location;

    public override Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.Location = Location;
        return base.ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status201Created);
}

/// <summary>202 with the value: the request is accepted and its effect follows.</summary>
public sealed class ApiAccepted<T>(T value) : ApiJsonResult<T>(value, StatusCodes.Status202Accepted), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status202Accepted);
}
