using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Common;

/// <summary>A row that belongs to one organization: what a caller may only ever see of its own.</summary>
internal interface IOrganizationRow
{
    Guid Id { get; }

    Guid OrganizationId { get; }

    /// <summary>What the API calls it in a 404 ("plan", "API key").</summary>
    static abstract string Noun { get; }
}

/// <summary>A row the organization archives instead of deleting (meters, plans): listed newest first, archived ones on request.</summary>
internal interface IArchivableRow : IOrganizationRow
{
    DateTimeOffset CreatedAt { get; }

    DateTimeOffset? ArchivedAt { get; }
}

internal static class OrganizationRows
{
    /// <summary>The organization's rows as its lists show them: newest first, archived ones only when asked for.</summary>
    public static IQueryable<T> Listed<T>(this IQueryable<T> rows, Guid organizationId, bool includeArchived)
        where T : class, IArchivableRow
    {
        rows = rows.Where(r => r.OrganizationId == organizationId);
        if (!includeArchived)
        {
            rows = rows.Where(r => r.ArchivedAt == null);
        }

        return rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }

    /// <summary>The organization's row with this id; another organization's, or none, is the same 404.</summary>
    public static async Task<T> FindOwnedAsync<T>(this IQueryable<T> rows, Guid id, Guid organizationId, CancellationToken cancellationToken)
        where T : class, IOrganizationRow =>
        await rows.FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == organizationId, cancellationToken)
        ?? throw Problems.NotFound(T.Noun, id);
}
