/// Canonical sysctl key names.
///
/// Keys are kept in procps' dotted form. A `/proc/sys` path component that itself contains a dot
/// (the VLAN interface `eth0.100`) is written with `/` in the dotted key
/// (`net.ipv4.conf.eth0/100.rp_filter`), because procps swaps `.` and `/` when a key's first
/// separator is a dot (procps `sysctl.c`; see domain-facts.md).
public enum SysctlKey {
    /// The top-level directories of /proc/sys. Requiring one of them is what tells a sysctl key
    /// from any other `a.b = c` line (Python, INI files, Java properties).
    private static let roots: [StaticString] = [
        "abi", "crypto", "debug", "dev", "fs", "kernel", "net", "sunrpc", "user", "vm",
    ]

    /// Compared byte by byte: ten short names, cheaper to compare than to hash.
    private static func isRoot(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        roots.contains { root in root.withUTF8Buffer { $0.elementsEqual(name) } }
    }

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
        // Most candidates are not sysctl keys at all, and most keys are plainly dotted: both
        // are told on the bytes, without a substring or a set lookup.
        let quick: Result<String, Problem>?? = raw.utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0, end = bytes.count
            while start < end, Bytes.isBlank(bytes[start]) { start += 1 }
            while end > start, Bytes.isBlank(bytes[end - 1]) { end -= 1 }
            if start < end, bytes[start] == UInt8(ascii: "-") { start += 1 }
            guard start < end, bytes[start] != UInt8(ascii: "/") else { return nil }
            let key = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let rootEnd = key.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }) ?? key.count
            guard isRoot(key[..<rootEnd]) else { return .failure(.notSysctl) }
            return isPlainDottedKey(key) ? .success(String(decoding: key, as: UTF8.self)) : nil
        }
        if let quick = quick ?? nil { return quick }
        var key = Substring(raw).trimmingSpaces
        if key.utf8.first == UInt8(ascii: "-") { key = Substring(key.utf8.dropFirst()) }
        let body: Substring
        let slashed: Bool
        if key.hasBytePrefix("/proc/sys/") {
            body = Substring(key.utf8.dropFirst("/proc/sys/".utf8.count))
            slashed = true
        } else if key.utf8.first == UInt8(ascii: "/") {
            return .failure(
                .invalid(
                    "sysctl key '\(raw)' starts with '/': write it dotted (net.ipv4.ip_forward) or as a /proc/sys path")
            )
        } else {
            body = key
            slashed = key.utf8.first(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }) == UInt8(ascii: "/")
        }
        return validate(body, slashed: slashed, raw: raw)
    }

    /// `a.b.c` with no `/`, no empty component and only key characters.
    private static func isPlainDottedKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = UInt8(ascii: ".")
        var dots = 0
        for byte in bytes {
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
    private static func validate(_ body: Substring, slashed: Bool, raw: some StringProtocol) -> Result<String, Problem>
    {
        let separator = slashed ? UInt8(ascii: "/") : UInt8(ascii: ".")
        guard let rootEnd = body.firstOffset(of: separator), body.withBytes({ isRoot($0[..<rootEnd]) }) else {
            return .failure(.notSysctl)
        }
        let flaw: KeyFlaw? = body.withBytes { bytes in
            var componentStart = 0
            for index in 0...bytes.count {
                if index == bytes.count || bytes[index] == separator {
                    if index == componentStart { return .empty }
                    // `.` or `..` once spelled as a path (`net/../..`, or `net.//.//` dotted,
                    // where `/` stands for `.`): a file outside /proc/sys. procps refuses it.
                    let length = index - componentStart
                    let other = slashed ? UInt8(ascii: ".") : UInt8(ascii: "/")
                    if length <= 2, bytes[componentStart..<index].allSatisfy({ $0 == other }) { return .dots }
                    componentStart = index + 1
                } else if !(isKeyByte(bytes[index]) || (slashed && bytes[index] == UInt8(ascii: "."))) {
                    return .byte(index)
                }
            }
            return nil
        }
        switch flaw {
        case .empty:
            return .failure(.invalid("sysctl key '\(raw)' has an empty component ('..' or a trailing separator)"))
        case .dots:
            return .failure(
                .invalid(
                    "sysctl key '\(raw)' has a '.' or '..' path component: it would name a file outside /proc/sys (procps refuses it)"
                ))
        case .byte(let offset):
            let rest = body.bytes(offset..<body.utf8.count)
            // `net.core.{option}`, `conf.<iface>.rp_filter`, `conf.$IFACE.rp_filter`: a
            // placeholder documents the shape of keys; it is not one, and not a mistake.
            if let first = rest.utf8.first,
                first == UInt8(ascii: "{") || first == UInt8(ascii: "<")
                    || (first == UInt8(ascii: "$")
                        && rest.utf8.dropFirst().first.map {
                            Bytes.isLetter($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "{")
                        } == true)
            {
                return .failure(.notSysctl)
            }
            let what = rest.utf8.first == 0x20 ? "a space" : "'\(rest.first!)'"
            return .failure(
                .invalid("sysctl key '\(raw)' contains \(what); keys are names like net.ipv4.conf.eth0.rp_filter"))
        case nil:
            break
        }
        guard slashed else { return .success(String(body)) }
        return .success(body.withBytes(swappingDotsAndSlashes))
    }

    /// procps' spelling, both ways: in a dotted key `/` stands for a dot inside a name, in a
    /// path the roles swap.
    private static func swappingDotsAndSlashes(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] =
                    byte == UInt8(ascii: "/") ? UInt8(ascii: ".") : byte == UInt8(ascii: ".") ? UInt8(ascii: "/") : byte
            }
            return bytes.count
        }
    }

    /// What makes a key ill-formed, found while scanning it.
    private enum KeyFlaw {
        case empty, dots
        case byte(Int)
    }

    /// Interface names may hold `-`, `:`, `@`, `+` and (VLANs) dots, which the dotted form
    /// spells `/`; shell metacharacters, blanks and globs are never part of a key.
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        Bytes.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+")
    }

    /// A well-formed key that still cannot exist: per-interface IP settings always have five
    /// parts (`net.ipv4.conf.IFACE.NAME`); fewer is a path cut short in the doc
    /// (`/proc/sys/net/ipv4/conf/al`).
    package static func shapeProblem(_ key: String) -> String? {
        let key = Substring(key)
        guard key.hasBytePrefix("net.ipv4.conf") || key.hasBytePrefix("net.ipv6.conf") else { return nil }
        let parts: Int = key.withBytes { bytes in
            let rest = bytes.dropFirst("net.ipv4.conf".utf8.count)
            guard rest.first == nil || rest.first == UInt8(ascii: ".") else { return 5 }
            return 3 + rest.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
        }
        guard parts != 5 else { return nil }
        let family = key.hasBytePrefix("net.ipv4") ? "ipv4" : "ipv6"
        return
            "sysctl key '\(key)' has \(parts) parts; per-interface keys are net.\(family).conf.IFACE.NAME (is the path cut short?)"
    }

    /// The `/proc/sys` file of a canonical key.
    public static func procPath(_ key: String) -> String {
        "/proc/sys/" + Substring(key).withBytes(swappingDotsAndSlashes)
    }
}
