/// How prose names the machine the blocks after it run on, when no prompt does: a label
/// ("RS1:", "**Director**："), a heading or sentence that opens with it ("On the director",
/// "On realserver1, run:"), or the Chinese "在 RS1 上执行" / "RS1 上操作". The name is only a
/// candidate: it becomes the steps' host when the document uses it elsewhere (a prompt, the
/// front matter) or it is a role our field names machines by (see `RunbookReader.nameHosts`),
/// so that "Example:" or "Ubuntu:" never becomes a host.
///
/// Asked of every paragraph and heading, so it reads bytes: `String.hasPrefix` breaks
/// graphemes on every call.
enum HostLabel {
    /// The name a label or a heading gives, or nil when it gives none.
    static func candidate(_ text: String) -> Substring? {
        // Labels are short; most prose is not.
        guard text.utf8.count <= 80 else { return nil }
        var rest = Substring(text).trimmingSpaces
        guard !rest.isEmpty, rest.firstOffset(of: 0x0A) == nil else { return nil }
        if rest.hasByteSuffix(":") {
            rest = rest.bytes(0..<(rest.utf8.count - 1)).trimmingSpaces
        } else if rest.hasByteSuffix("：") {
            rest = rest.bytes(0..<(rest.utf8.count - 3)).trimmingSpaces
        }
        // "On the director, run:", "On realserver1".
        if rest.hasBytePrefix("On ") || rest.hasBytePrefix("on ") {
            var name = rest.bytes(3..<rest.utf8.count).trimmingSpaces
            if name.hasBytePrefix("the ") { name = name.bytes(4..<name.utf8.count).trimmingSpaces }
            if let end = name.utf8.firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ":") }) {
                name = Substring(name.utf8[..<end]).trimmingSpaces
            }
            for suffix: StaticString in [" host", " server", " node", " machine", " box"]
            where name.hasByteSuffix(suffix) {
                name = name.bytes(0..<(name.utf8.count - suffix.utf8CodeUnitCount)).trimmingSpaces
                break
            }
            return token(name)
        }
        // "在 RS1 上执行", "RS1 上操作", "在RS1上".
        if rest.hasBytePrefix("在") { rest = rest.bytes(3..<rest.utf8.count).trimmingSpaces }
        if rest.utf8.first.map({ $0 < 0x80 }) == true, let above = rest.withBytes({ Bytes.find(on, in: $0) }) {
            return token(rest.bytes(0..<above).trimmingSpaces)
        }
        // "RS1", "Director", "Director(master)".
        if let open = rest.firstOffset(of: UInt8(ascii: "(")) ?? rest.withBytes({ Bytes.find(fullWidthOpen, in: $0) }) {
            rest = rest.bytes(0..<open).trimmingSpaces
        }
        return token(rest)
    }

    /// A paragraph that is one word and a colon (`Ubuntu:`, `Director(master):`): a label, of
    /// a host or not; one that names none still ends what an earlier label named.
    static func isLabel(_ text: String) -> Bool {
        guard text.utf8.count <= 80 else { return false }
        let trimmed = Substring(text).trimmingSpaces
        guard trimmed.hasByteSuffix(":") || trimmed.hasByteSuffix("：") else { return false }
        return trimmed.firstOffset(of: 0x20) == nil && trimmed.firstOffset(of: 0x0A) == nil
    }

    private static let on = Array("上".utf8)
    private static let fullWidthOpen = Array("（".utf8)

    /// Role nouns machines of this field's runbooks are named by, with or without a number
    /// (`rs1`, `node02`, `master-1`).
    private static let roles: Set<String> = [
        "director", "realserver", "rs", "ds", "lvs", "vs", "dr", "router", "gateway", "gw", "client", "server",
        "master", "node", "worker", "backup", "primary", "secondary", "lb", "proxy", "host",
    ]

    /// Whether `name` is a role noun, perhaps numbered.
    static func isRole(_ name: Substring) -> Bool {
        var stem = name.lowercased()[...]
        while let last = stem.utf8.last,
            (last >= 0x30 && last <= 0x39) || last == UInt8(ascii: "-")
                || last == UInt8(ascii: "_")
        {
            stem = stem.dropLast()
        }
        return roles.contains(String(stem))
    }

    /// A host name alone: letters, digits, `.`, `_`, `-`, at least one letter.
    private static func token(_ text: Substring) -> Substring? {
        guard let first = text.utf8.first, Bytes.isAlphanumeric(first), text.utf8.count <= 40,
            text.utf8.allSatisfy({ Bytes.isPathByte($0) && $0 != UInt8(ascii: "/") }),
            text.utf8.contains(where: Bytes.isLetter)
        else { return nil }
        return text
    }
}
