using System.Collections.Frozen;

namespace FluxSuite.Metering.Common;

/// <summary>
/// ISO 4217 active currency codes and their minor units. Kept here because the runtime runs with
/// invariant globalization and has no currency data of its own.
/// </summary>
internal static class Currencies
{
    private static readonly FrozenDictionary<string, int> MinorUnitsByCode = Build();

    public static bool IsKnown(string code) => MinorUnitsByCode.ContainsKey(code);

    public static int MinorUnits(string code) => MinorUnitsByCode.GetValueOrDefault(code, 2);

    private static FrozenDictionary<string, int> Build()
    {
        var units = new Dictionary<string, int>(StringComparer.Ordinal);
        const string TwoDecimals =
            "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP CRC " +
            "CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD " +
            "KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK " +
            "NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS " +
            "TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG";
        foreach (var code in TwoDecimals.Split(' '))
        {
            units[code] = 2;
        }

        foreach (var code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".Split(' '))
        {
            units[code] = 0;
        }

        foreach (var code in "BHD IQD JOD KWD LYD OMR TND".Split(' '))
        {
            units[code] = 3;
        }

        return units.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
