using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace FluxSuite.Host.Errors;

/// <summary>
/// Refuses the NUL character (U+0000) wherever a request carries text: PostgreSQL cannot store it in
/// <c>text</c>, so it would otherwise surface as a 500 deep in a query. One place for every module: the
/// path, every query parameter, and every string (names included) of a JSON body. The answer is a 400
/// in the owning module's format naming the parameter or the field (<c>tiers[1].planName</c>).
/// A body is only parsed here when its bytes hold the escape <c>\u0000</c> at all (JSON cannot carry a
/// raw NUL), so ordinary requests pay one vectorized search.
/// </summary>
internal sealed class TextInputGuardMiddleware(RequestDelegate next)
{
    private const string Problem = "must not contain the NUL character (\\u0000), which cannot be stored.";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if ((request.Path.Value ?? string.Empty).Contains('\0', StringComparison.Ordinal))
        {
            await ApiErrorWriter.WriteAsync(context, ApiError.Validation($"The path {Problem}"));
            return;
        }

        foreach (var (key, values) in request.Query)
        {
            if (key.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                await ApiErrorWriter.WriteAsync(context, ApiError.InvalidField(key.Replace("\0", string.Empty, StringComparison.Ordinal), Problem));
                return;
            }
        }

        if (IsJson(request) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            var field = await FindNulAsync(context, context.RequestAborted);
            if (field is not null)
            {
                await ApiErrorWriter.WriteAsync(context, ApiError.InvalidField(field, Problem));
                return;
            }
        }

        await next(context);
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type
        && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the body (keeping it for the endpoint) and returns the path of the first string holding a NUL, or null.</summary>
    private static async Task<string?> FindNulAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // Kept in memory: RequestBodyLimitMiddleware (before this) already bounds what can be read. The bytes are read
        // once into one array from the shared pool (of the declared length when there is one), which the endpoint then
        // reads through a MemoryStream or a PipeReader over it, and the pool gets back when the response is done: no
        // copy into a growing buffer, and no large-object-heap array per request for bodies over 85 KB such as usage
        // reports.
        var request = context.Request;
        var body = new PooledBody(request.ContentLength is > 0 and <= int.MaxValue and var length ? (int)length : 16 * 1024);
        context.Response.RegisterForDispose(body);
        await body.FillAsync(request.Body, cancellationToken);
        request.Body = new MemoryStream(body.Buffer, 0, body.Length, writable: false);

        // Endpoints bound to a JSON body read it through the request's PipeReader: over the stream above that would be
        // copied again in 4 KB segments and parsed on the JSON reader's multi-segment path; over the array it is one
        // segment, read in place.
        context.Features.Set<IRequestBodyPipeFeature>(new BufferedBodyPipe(PipeReader.Create(new ReadOnlySequence<byte>(body.Buffer, 0, body.Length))));
        var bytes = body.Buffer.AsSpan(0, body.Length);
        return bytes.IndexOf("\\u0000"u8) < 0 ? null : FindNul(bytes);
    }

    /// <summary>The request's body as a <see cref="PipeReader"/> over the bytes already read.</summary>
    private sealed class BufferedBodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    /// <summary>A request body read whole into an array rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    private sealed class PooledBody(int expectedLength) : IDisposable
    {
        public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(Math.Max(expectedLength, 1));

        public int Length { get; private set; }

        public async Task FillAsync(Stream source, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (Length == Buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Buffer.Length * 2);
                    Buffer.AsSpan(0, Length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(Buffer);
                    Buffer = larger;
                }

                var read = await source.ReadAsync(Buffer.AsMemory(Length), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                Length += read;
            }
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
    }

    private static string? FindNul(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<(string? Name, int Index)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (name.Contains('\0', StringComparison.Ordinal))
                        {
                            return Format(path) is { Length: > 0 } parent ? parent : "body";
                        }

                        path[^1] = (name, -1);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Advance(path);
                        path.Add((null, reader.TokenType == JsonTokenType.StartArray ? -1 : -2));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        if (reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                        {
                            return Format(path) is { Length: > 0 } at ? at : "body";
                        }

                        break;
                    default:
                        Advance(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the endpoint's own reading says where.
        }

        return null;
    }

    /// <summary>A value inside an array moves that array's index on.</summary>
    private static void Advance(List<(string? Name, int Index)> path)
    {
        if (path.Count > 0 && path[^1] is { Name: null, Index: >= -1 } array)
        {
            path[^1] = (null, array.Index + 1);
        }
    }

    private static string Format(List<(string? Name, int Index)> path)
    {
        var text = new StringBuilder();
        foreach (var (name, index) in path)
        {
            if (name is not null)
            {
                text.Append(text.Length > 0 ? "." : string.Empty).Append(name);
            }
            else if (index >= 0)
            {
                text.Append('[').Append(index).Append(']');
            }
        }

        return text.ToString();
    }
}
