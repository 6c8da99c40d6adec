/// Explicit attributes in a fenced block's info string, as Pandoc and kramdown write them:
/// ```` ```console {host=director user=root} ````, ```` ```sh {skip} ````. They override what
/// recognition infers, for the cases a doc's prose says in words ("on each realserver").
public struct BlockAttributes: Sendable, Equatable {
    public var host: String?
    public var user: String?
    public var cwd: String?
    /// The block yields no steps (an example, or something a person must do by hand).
    public var skip = false
    /// The author means the block's commands as checks (`"audit": true` in the JSON). It does
    /// not widen what `runbook audit` re-runs: only the plain reads of `ReadOnlyCommands`,
    /// since the runbook itself is untrusted.
    public var audit = false

    package static let keys = ["host", "user", "cwd", "skip", "audit"]

    public init() {}

    /// Parses the `{...}` part of an info string. Unknown names are reported, not ignored: a
    /// typo in `{hots=director}` would otherwise run steps on the wrong machine.
    package static func parse(info: String) -> (BlockAttributes, unknown: [String]) {
        var attributes = BlockAttributes()
        guard info.utf8.contains(UInt8(ascii: "{")), let open = info.firstIndex(of: "{"),
            let close = info.lastIndex(of: "}"), open < close
        else {
            return (attributes, [])
        }
        var unknown: [String] = []
        for item in info[info.index(after: open)..<close].split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }
        ) {
            let parts = item.split(separator: "=", maxSplits: 1)
            let name = parts[0]
            let value = parts.count > 1 ? String(parts[1].trimmingCharacters(in: "\"'")) : nil
            switch (name, value) {
            case ("host", let value?): attributes.host = value
            case ("user", let value?): attributes.user = value
            case ("cwd", let value?): attributes.cwd = value
            case ("skip", nil), (".skip", nil): attributes.skip = true
            case ("audit", nil), (".audit", nil): attributes.audit = true
            default: unknown.append(String(item))
            }
        }
        return (attributes, unknown)
    }
}

extension Substring {
    package func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return text
    }
}
