/// Canonical sysctl key names.
///
/// Keys are kept in procps' dotted form. A `/proc/sys` path component that itself contains a dot
/// (the VLAN interface `eth0.100`) is written with `/` in the dotted key
/// (`net.ipv4.conf.eth0/100.rp_filter`), because procps swaps `.` and `/` when a key's first
/// separator is a dot (procps `sysctl.c`; see domain-facts.md).
public enum SysctlKey {
    /// The top-level directories of /proc/sys. Requiring one of them is what tells a sysctl key
    /// from any other `a.b = c` line (Python, INI files, Java properties).
    static let roots: Set<Substring> = ["abi", "crypto", "debug", "dev", "fs", "kernel", "net", "sunrpc", "user", "vm"]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notSysctl
        case invalid(String)

        public var description: String {
            switch self {
            case .notSysctl: "not a sysctl key"
            case .invalid(let reason): reason
            }
        }
    }

    /// Normalises a key as procps reads it: dotted (`net.ipv4.ip_forward`), slashed
    /// (`net/ipv4/ip_forward`) or a full `/proc/sys/...` path. A leading `-` (procps: ignore
    /// write errors) is dropped.
    public static func canonical(_ raw: some StringProtocol) -> Result<String, Problem> {
        var key = Substring(raw).trimmingSpaces
        if key.utf8.first == UInt8(ascii: "-") { key = Substring(key.utf8.dropFirst()) }
        // Most candidates are not sysctl keys at all: reject them before splitting anything.
        if key.utf8.first != UInt8(ascii: "/") {
            let root = key.utf8.prefix(while: { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "/") })
            guard roots.contains(Substring(root)) else { return .failure(.notSysctl) }
            // The usual dotted key, well formed: nothing to rewrite.
            if isPlainDottedKey(key) { return .success(String(key)) }
        }
        let body: Substring
        let slashed: Bool
        if key.starts(with: "/proc/sys/") {
            body = Substring(key.utf8.dropFirst("/proc/sys/".utf8.count))
            slashed = true
        } else if key.utf8.first == UInt8(ascii: "/") {
            return .failure(.invalid("sysctl key '\(raw)' starts with '/': write it dotted (net.ipv4.ip_forward) or as a /proc/sys path"))
        } else {
            body = key
            slashed = key.utf8.first(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }) == UInt8(ascii: "/")
        }
        return validate(body, slashed: slashed, raw: raw)
    }

    /// `a.b.c` with no `/`, no empty component and only key characters.
    private static func isPlainDottedKey(_ key: Substring) -> Bool {
        var previous: UInt8 = UInt8(ascii: ".")
        var dots = 0
        for byte in key.utf8 {
            if byte == UInt8(ascii: ".") {
                if previous == UInt8(ascii: ".") { return false }
                dots += 1
            } else if byte == UInt8(ascii: "/") || !isKeyByte(byte) {
                return false
            }
            previous = byte
        }
        return dots > 0 && previous != UInt8(ascii: ".")
    }

    /// Checks the components of a key written with `/` (`slashed`, where a `.` inside a
    /// component is part of an interface name) or with `.` separators, and spells it dotted.
    private static func validate(_ body: Substring, slashed: Bool, raw: some StringProtocol) -> Result<String, Problem> {
        let separator = slashed ? UInt8(ascii: "/") : UInt8(ascii: ".")
        let bytes = body.utf8
        let rootEnd = bytes.firstIndex(of: separator)
        guard let rootEnd, roots.contains(Substring(bytes[..<rootEnd])) else { return .failure(.notSysctl) }
        var componentStart = bytes.startIndex
        var index = bytes.startIndex
        while true {
            let atEnd = index == bytes.endIndex
            if atEnd || bytes[index] == separator {
                if index == componentStart {
                    return .failure(.invalid("sysctl key '\(raw)' has an empty component ('..' or a trailing separator)"))
                }
                if atEnd { break }
                componentStart = bytes.index(after: index)
            } else if !(isKeyByte(bytes[index]) || (slashed && bytes[index] == UInt8(ascii: "."))) {
                let what = bytes[index] == 0x20 ? "a space" : "'\(body[index...].first!)'"
                return .failure(.invalid("sysctl key '\(raw)' contains \(what); keys are names like net.ipv4.conf.eth0.rp_filter"))
            }
            index = bytes.index(after: index)
        }
        guard slashed else { return .success(String(body)) }
        // procps' spelling: `/` separates, a `.` inside a name becomes `/`.
        return .success(String(decoding: bytes.map { $0 == UInt8(ascii: "/") ? UInt8(ascii: ".") : $0 == UInt8(ascii: ".") ? UInt8(ascii: "/") : $0 }, as: UTF8.self))
    }

    /// Interface names may hold `-`, `:`, `@`, `+` and (VLANs) dots, which the dotted form
    /// spells `/`; shell metacharacters, blanks and globs are never part of a key.
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        Bytes.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+")
    }

    /// A well-formed key that still cannot exist: per-interface IP settings always have five
    /// parts (`net.ipv4.conf.IFACE.NAME`); fewer is a path cut short in the doc
    /// (`/proc/sys/net/ipv4/conf/al`).
    static func shapeProblem(_ key: String) -> String? {
        let bytes = key.utf8
        guard bytes.starts(with: "net.ipv4.conf".utf8) || bytes.starts(with: "net.ipv6.conf".utf8) else { return nil }
        let rest = bytes.dropFirst("net.ipv4.conf".utf8.count)
        guard rest.first == nil || rest.first == UInt8(ascii: ".") else { return nil }
        let parts = 3 + rest.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
        guard parts != 5 else { return nil }
        let family = bytes.starts(with: "net.ipv4".utf8) ? "ipv4" : "ipv6"
        return "sysctl key '\(key)' has \(parts) parts; per-interface keys are net.\(family).conf.IFACE.NAME (is the path cut short?)"
    }

    /// The `/proc/sys` file of a canonical key.
    public static func procPath(_ key: String) -> String {
        "/proc/sys/" + key.split(separator: ".").map { $0.replacingOccurrences(of: "/", with: ".") }.joined(separator: "/")
    }
}

extension StringProtocol {
    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
