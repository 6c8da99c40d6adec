/// A kernel parameter the runbook sets, whatever spelling the doc used for it.
public struct SysctlSetting: Sendable, Equatable {
    /// Canonical dotted key (see `SysctlKey`).
    public var key: String
    /// The value as written; procps compares values as whitespace-separated fields.
    public var value: String
    /// The config file the setting is made permanent in, when the doc writes one.
    public var persist: String?
    /// The documented command, nil for a line of a config block.
    public var command: String?

    /// Whether `path` is a file that `sysctl -p` / `sysctl --system` reads.
    package static func isConfigFile(_ path: String) -> Bool {
        if path == "/etc/sysctl.conf" { return true }
        let directories = ["/etc/sysctl.d/", "/run/sysctl.d/", "/usr/local/lib/sysctl.d/", "/usr/lib/sysctl.d/", "/lib/sysctl.d/"]
        return path.hasSuffix(".conf") && directories.contains { path.hasPrefix($0) }
    }
}
