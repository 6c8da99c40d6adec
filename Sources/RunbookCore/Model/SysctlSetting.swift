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
        let directories = [
            "/etc/sysctl.d/", "/run/sysctl.d/", "/usr/local/lib/sysctl.d/", "/usr/lib/sysctl.d/", "/lib/sysctl.d/",
        ]
        // A file directly in one of the directories: `/etc/sysctl.d/../../tmp/x.conf` ends in
        // `.conf` and starts like one, and names a file anywhere.
        guard path.hasSuffix(".conf"), let directory = directories.first(where: { path.hasPrefix($0) }) else {
            return false
        }
        // The name as real drop-ins write it: nothing a shell, YAML or Jinja would read.
        let name = path.utf8.dropFirst(directory.utf8.count)
        return name.count > ".conf".utf8.count
            && name.allSatisfy {
                Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: "-")
            }
    }
}
