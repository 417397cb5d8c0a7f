using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace FluxSuite.Host.Security;

/// <summary>
/// One data-protection key ring for every instance, kept in the shared database (table
/// <c>platform.data_protection_keys</c>, created at start-up under the migrations' lock). Antiforgery
/// tokens (the Hangfire dashboard's actions, the pages' forms) are protected with it, so a token issued
/// by one instance is accepted by any other behind the same load balancer.
/// </summary>
internal static class DataProtectionSetup
{
    public const string ApplicationName = "FluxSuite";

    public const string CreateTableSql = """
        CREATE SCHEMA IF NOT EXISTS platform;
        CREATE TABLE IF NOT EXISTS platform.data_protection_keys (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            friendly_name text NOT NULL UNIQUE,
            xml text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())
        """;

    public static IServiceCollection AddFluxDataProtection(this IServiceCollection services)
    {
        // The same name on every instance: by default it is the content root, which differs between machines.
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource>((options, dataSource) =>
            options.XmlRepository = new DatabaseXmlRepository(dataSource));
        return services;
    }
}

/// <summary>The key ring's XML elements as rows; a key is written once and never changed (keys expire, they are not edited).</summary>
internal sealed class DatabaseXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM platform.data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var command = dataSource.CreateCommand(
            "INSERT INTO platform.data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
