namespace FluxSuite.Listings.Directory;

/// <summary>
/// One of the counters whose sum is the directory's version (<see cref="DirectoryCache"/>). Nothing in the
/// code writes them: a statement trigger on <c>listings.providers</c> moves one on in every write's
/// transaction (the migration <c>AddDirectoryVersions</c> has it).
/// </summary>
internal sealed class DirectoryVersion
{
    public int Shard { get; set; }

    public long Version { get; set; }
}
