using System.ComponentModel.DataAnnotations;

namespace FluxSuite.Metering.Auth;

/// <summary>Configuration <c>Metering:Jwt</c>: the key that signs dashboard access tokens and how long they last.</summary>
internal sealed class JwtOptions
{
    public const string Section = "Metering:Jwt";

    [Required(ErrorMessage = "Metering:Jwt:SigningKey is not set: set Metering__Jwt__SigningKey to 32 or more random characters.")]
    [MinLength(32, ErrorMessage = "Metering:Jwt:SigningKey is too short: HS256 needs 32 or more characters.")]
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>How long a token (and the session it names) stays valid after signup or login.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    public string Issuer { get; set; } = "fluxsuite-metering";
}
