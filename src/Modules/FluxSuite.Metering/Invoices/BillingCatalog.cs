using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;
using FluxSuite.Metering.Usage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// Everything invoices of a set of subscriptions are computed from, loaded in a handful of queries:
/// plans and their active charges, the meters those charges price, customers and organizations.
/// </summary>
internal sealed class BillingCatalog
{
    private BillingCatalog(
        Dictionary<Guid, Plan> plans, ILookup<Guid, Charge> charges, Dictionary<Guid, Feature> meters,
        Dictionary<Guid, Customer> customers, Dictionary<Guid, Organization> organizations)
    {
        Plans = plans;
        Charges = charges;
        Meters = meters;
        Customers = customers;
        Organizations = organizations;
    }

    public Dictionary<Guid, Plan> Plans { get; }

    /// <summary>Active charges by plan id, in plan order.</summary>
    public ILookup<Guid, Charge> Charges { get; }

    /// <summary>Meters by meter id.</summary>
    public Dictionary<Guid, Feature> Meters { get; }

    public Dictionary<Guid, Customer> Customers { get; }

    public Dictionary<Guid, Organization> Organizations { get; }

    public static async Task<BillingCatalog> LoadAsync(MeteringDbContext db, IReadOnlyCollection<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var planIds = subscriptions.Select(s => s.PlanId).Distinct().ToList();
        var customerIds = subscriptions.Select(s => s.CustomerId).Distinct().ToList();
        var organizationIds = subscriptions.Select(s => s.OrganizationId).Distinct().ToList();
        var plans = await db.Set<Plan>().AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var charges = await db.Set<Charge>().AsNoTracking().Where(c => planIds.Contains(c.PlanId) && c.ArchivedAt == null)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var meterIds = charges.Where(c => c.MeterId != null).Select(c => c.MeterId!.Value).Distinct().ToList();
        var meters = await db.Set<Feature>().AsNoTracking().Where(f => meterIds.Contains(f.MeterId)).ToDictionaryAsync(f => f.MeterId, cancellationToken);
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var organizations = await db.Set<Organization>().AsNoTracking().Where(o => organizationIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        return new BillingCatalog(plans, charges.ToLookup(c => c.PlanId), meters, customers, organizations);
    }

    /// <summary>Copies who sells, who buys and what plan, as they are now, onto the invoice.</summary>
    public void Describe(Invoice invoice)
    {
        var plan = Plans[invoice.PlanId];
        var customer = Customers[invoice.CustomerId];
        invoice.Currency = plan.Currency;
        invoice.PlanName = plan.Name;
        invoice.OrganizationName = Organizations[invoice.OrganizationId].Name;
        invoice.CustomerName = customer.Name;
        invoice.CustomerEmail = customer.Email;
        invoice.CustomerExternalId = customer.ExternalId;
    }

    /// <summary>
    /// For each invoice, the usage of every meter its plan prices, from the period's start to the end of
    /// the invoice's range, in one statement on the context's connection.
    /// </summary>
    public async Task<Dictionary<Guid, Dictionary<Guid, decimal?>>> PeriodUsageAsync(
        MeteringDbContext db, IReadOnlyList<Invoice> invoices, CancellationToken cancellationToken)
    {
        var keys = new List<(Guid Invoice, Guid Meter)>();
        var ranges = new List<UsageQueries.Range>();
        foreach (var invoice in invoices)
        {
            foreach (var meterId in Charges[invoice.PlanId].Where(c => c.Type == ChargeRules.Usage).Select(c => c.MeterId!.Value).Distinct())
            {
                keys.Add((invoice.Id, meterId));
                ranges.Add(new UsageQueries.Range(invoice.CustomerId, Meters[meterId], invoice.PeriodStart, invoice.RangeEnd));
            }
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var totals = await UsageQueries.TotalsAsync(connection, ranges, cancellationToken);
        var usage = invoices.ToDictionary(i => i.Id, _ => new Dictionary<Guid, decimal?>());
        for (var i = 0; i < keys.Count; i++)
        {
            usage[keys[i].Invoice][keys[i].Meter] = totals[i];
        }

        return usage;
    }

    /// <summary>Computes the invoice's lines and total from its period usage and what the period's earlier invoices billed.</summary>
    public List<InvoiceLine> Lines(Invoice invoice, IReadOnlyDictionary<Guid, decimal?> periodUsage, IEnumerable<Invoice> earlier) =>
        InvoiceCalculator.Lines(invoice, Charges[invoice.PlanId], periodUsage, InvoiceCalculator.BilledByCharge(earlier));
}
