using FluxSuite.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace FluxSuite.Host.Errors;

/// <summary>Thrown while reading a request body that grows past the endpoint's limit.</summary>
internal sealed class RequestBodyTooLargeException(long limit)
    : Exception($"The request body is larger than the limit of {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Caps request bodies at 1 MiB unless an endpoint says otherwise (<c>[RequestSizeLimit]</c> metadata).
/// A declared Content-Length over the limit is refused before anything is read; a chunked body is
/// counted as it is read. Kestrel's own limit is lifted for the request because Kestrel answers an
/// overrun with an empty 413 that minimal APIs cannot turn into a body naming the problem.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const long DefaultLimit = 1024 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = metadata is null ? DefaultLimit : metadata.MaxRequestBodySize;
        if (limit is not { } max)
        {
            return next(context);
        }

        var declared = context.Request.ContentLength;
        if (declared > max)
        {
            return ApiErrorWriter.WriteAsync(context, TooLarge(max));
        }

        var hasBody = declared > 0 || (declared is null && context.Request.Headers.TransferEncoding.Count > 0);
        if (hasBody)
        {
            var kestrelLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (kestrelLimit is { IsReadOnly: false })
            {
                kestrelLimit.MaxRequestBodySize = null;
            }

            context.Request.Body = new LimitedReadStream(context.Request.Body, max);
        }

        return next(context);
    }

    public static ApiError TooLarge(long limit) =>
        ApiError.Validation($"The request body is too large: the limit is {limit:N0} bytes ({limit / 1024:N0} KiB).");
}

/// <summary>A read-only view of a stream that throws once more than <c>limit</c> bytes have been read.</summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new RequestBodyTooLargeException(limit);
        }

        return read;
    }
}
