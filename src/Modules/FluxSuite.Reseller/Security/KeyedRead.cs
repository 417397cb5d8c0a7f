using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Security;

/// <summary>
/// An endpoint's read that can go to PostgreSQL in the same round trip as the statement that looks the request's key up
/// and counts it (<see cref="KeyRateLimiter"/>): the two go as one batch, the read first, so a read request is one round trip
/// instead of two. The route says so with <see cref="KeyedReads.ReadsWithKey"/>; the same read also runs on its own, for the caller
/// (<see cref="TakeOrRunAsync{TRead}"/>), when it did not ride with the lookup.
/// </summary>
/// <remarks>
/// When the read rides with the lookup, nobody has checked the key yet, so the read cannot be given the caller's reseller:
/// it finds it from the key's hash (<see cref="ReadOwner.ByKey"/>). A key names the one reseller it was issued to for as
/// long as the key exists, whether it is revoked or not, so the read is the same as one for the caller would be, and a key
/// revoked between the two statements does not turn an answer into a 404. What the read found is kept on the request
/// (<see cref="Take{TRead}"/>) only when the key was found; the endpoint uses it only once authorization and the rate
/// limit have let the request through, so a 401, 403 or 429 answers nothing of it. Reads are all this is for: the statements
/// must not write, since a refused request runs them too.
/// </remarks>
internal abstract class KeyedRead
{
    /// <summary>The read's statements, for <paramref name="owner"/>: fixed texts (prepared once per connection), one result set or more.</summary>
    public abstract IReadOnlyList<NpgsqlBatchCommand> Commands(ReadOwner owner);

    /// <summary>Reads the results of <see cref="Commands"/> and keeps them; the reader is on the first of them.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken);

    /// <summary>The read of <typeparamref name="TRead"/> that rode with this request's key lookup, if one did.</summary>
    public static TRead? Take<TRead>(HttpContext context)
        where TRead : KeyedRead
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<KeyedRead>() as TRead;
    }

    /// <summary>
    /// The read of <typeparamref name="TRead"/> that rode with this request's key lookup; when none did, <paramref name="create"/>'s,
    /// run now for <paramref name="caller"/> in one round trip.
    /// </summary>
    public static async Task<TRead> TakeOrRunAsync<TRead>(
        HttpContext context, ResellerCaller caller, PooledStatements statements, Func<TRead> create, CancellationToken cancellationToken)
        where TRead : KeyedRead
    {
        ArgumentNullException.ThrowIfNull(create);
        if (Take<TRead>(context) is { } taken)
        {
            return taken;
        }

        var read = create();
        await read.RunAsync(statements, ReadOwner.Of(caller), cancellationToken);
        return read;
    }

    /// <summary>Runs the read for <paramref name="owner"/> in one round trip and keeps what it found.</summary>
    public async Task RunAsync(PooledStatements statements, ReadOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        await using var reader = await statements.ExecuteReaderAsync([.. Commands(owner)], cancellationToken);
        await ReadAsync(reader, cancellationToken);
    }
}

/// <summary>
/// Whose data a <see cref="KeyedRead"/> reads: the caller's reseller by its id, or the reseller a key was issued to, by the key's
/// SHA-256 hash, in a mode. A statement names its reseller at one parameter (<see cref="OwnedSql"/>), <see cref="Parameter"/>'s
/// value; both of its texts are fixed, so each is prepared once per connection.
/// </summary>
internal abstract record ReadOwner(Mode Mode)
{
    public static ReadOwner Of(ResellerCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new ById(caller.ResellerId, caller.Mode);
    }

    public static ReadOwner ByKey(string keyHash, Mode mode) => new ByHash(keyHash, mode);

    /// <summary>The reseller in a statement whose parameter <paramref name="position"/> is the reseller's id.</summary>
    public static string IdSql(int position) => $"${position}";

    /// <summary>The reseller in a statement whose parameter <paramref name="position"/> is a key's hash (<c>key_hash</c> is unique).</summary>
    public static string KeySql(int position) => $"(SELECT k.reseller_id FROM reseller.reseller_keys k WHERE k.key_hash = ${position})";

    /// <summary>The text of <paramref name="sql"/> for this kind of owner.</summary>
    public abstract string Text(OwnedSql sql);

    /// <summary>The value of the parameter that names the reseller.</summary>
    public abstract NpgsqlParameter Parameter();

    /// <summary>The mode, as a statement's parameter.</summary>
    public NpgsqlParameter ModeParameter() => new NpgsqlParameter<string> { TypedValue = Mode.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar };

    private sealed record ById(Guid ResellerId, Mode Mode) : ReadOwner(Mode)
    {
        public override string Text(OwnedSql sql) => sql.ById;

        public override NpgsqlParameter Parameter() => new NpgsqlParameter<Guid> { TypedValue = ResellerId, NpgsqlDbType = NpgsqlDbType.Uuid };
    }

    private sealed record ByHash(string KeyHash, Mode Mode) : ReadOwner(Mode)
    {
        public override string Text(OwnedSql sql) => sql.ByKey;

        public override NpgsqlParameter Parameter() => new NpgsqlParameter<string> { TypedValue = KeyHash, NpgsqlDbType = NpgsqlDbType.Varchar };
    }
}

/// <summary>
/// A statement whose reseller is its parameter <paramref name="position"/>, written once for each kind of <see cref="ReadOwner"/>:
/// <paramref name="text"/> gets the SQL that names the reseller.
/// </summary>
internal sealed class OwnedSql(Func<string, string> text, int position)
{
    public string ById { get; } = text(ReadOwner.IdSql(position));

    public string ByKey { get; } = text(ReadOwner.KeySql(position));

    /// <summary>The statement for <paramref name="owner"/>, with <paramref name="parameters"/> (the owner's among them, at its position).</summary>
    public NpgsqlBatchCommand Command(ReadOwner owner, params NpgsqlParameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var command = new NpgsqlBatchCommand(owner.Text(this));
        command.Parameters.AddRange(parameters);
        return command;
    }
}

/// <summary>Route metadata: the request's <see cref="KeyedRead"/>, or null when the request is not one it reads for (a malformed query).</summary>
internal sealed class ReadsWithKeyMetadata(Func<HttpContext, KeyedRead?> create)
{
    public KeyedRead? Create(HttpContext context) => create(context);
}

internal static class KeyedReads
{
    /// <summary>The route's guid value <paramref name="name"/>, if it has one.</summary>
    public static Guid? RouteId(HttpContext http, string name) => Guid.TryParse(http.GetRouteValue(name) as string, out var id) ? id : null;

    /// <summary>Lets the key lookup carry the endpoint's read (<see cref="KeyedRead"/>), made from the request by <paramref name="create"/>.</summary>
    public static RouteHandlerBuilder ReadsWithKey(this RouteHandlerBuilder builder, Func<HttpContext, KeyedRead?> create) =>
        builder.WithMetadata(new ReadsWithKeyMetadata(create));
}
