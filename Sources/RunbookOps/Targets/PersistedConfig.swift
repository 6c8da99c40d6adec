import RunbookCore

/// The sysctl configuration a target applies at boot, read the way `sysctl --system` reads it
/// (procps 4): `*.conf` in /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d,
/// /usr/lib/sysctl.d, /lib/sysctl.d, a name in an earlier directory hiding the same name in later
/// ones, all applied sorted by file name, then /etc/sysctl.conf; later assignments win.
struct PersistedConfig {
    struct Assignment: Equatable {
        var key: String
        var value: String
        var file: String
        var line: Int
    }

    static let directories = [
        "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d",
    ]

    /// Every assignment, in the order they are applied.
    var assignments: [Assignment] = []

    /// Reads the target's configuration. `root` prefixes every path (a test tree, a mounted
    /// image); for a namespace, the files `ip netns exec` mounts from /etc/netns/NAME/ replace
    /// the host's.
    static func read(on state: any TargetState, target: Target, root: String) throws -> PersistedConfig {
        var locator = Locator(state: state, target: target, root: root)
        var byName: [String: String] = [:]
        for directory in directories {
            let location = try locator.map(directory)
            for name in try state.listDirectory(location) ?? [] where name.hasSuffix(".conf") && byName[name] == nil {
                byName[name] = "\(location)/\(name)"
            }
        }
        var files = byName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { byName[$0]! }
        files.append(try locator.map("/etc/sysctl.conf"))
        var config = PersistedConfig()
        for file in files {
            guard let text = try state.readFile(file) else { continue }
            for (offset, line) in Bytes.lines(text).enumerated() {
                guard let (rawKey, value) = SysctlSetting.configLine(line),
                    case .success(let key) = SysctlKey.canonical(rawKey)
                else { continue }
                config.assignments.append(Assignment(key: key, value: String(value), file: file, line: offset + 1))
            }
        }
        return config
    }

    /// Maps /etc paths into the root and a namespace's own /etc.
    private struct Locator {
        let state: any TargetState
        let target: Target
        let root: String
        /// The entries of /etc/netns/NAME: each replaces the /etc entry of the same name.
        var overlay: Set<String>?

        init(state: any TargetState, target: Target, root: String) {
            self.state = state
            self.target = target
            self.root = root == "/" ? "" : root
        }

        mutating func map(_ path: String) throws -> String {
            guard case .netns(let name) = target, path.hasPrefix("/etc/") else { return root + path }
            if overlay == nil { overlay = Set(try state.listDirectory(root + "/etc/netns/\(name)") ?? []) }
            let entry = path.dropFirst("/etc/".count).split(separator: "/").first.map(String.init) ?? ""
            return overlay!.contains(entry) ? root + "/etc/netns/\(name)/" + path.dropFirst("/etc/".count) : root + path
        }
    }
}
