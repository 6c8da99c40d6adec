/// POSIX shell quoting for values that must reach a command as data.
package enum ShellQuote {
    /// `'...'`, with embedded quotes as `'\''`.
    package static func quote(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }

    /// A word as a shell reads it back: bare when it holds nothing the shell treats specially
    /// (`192.168.1.2:80`, `eth0:110`), quoted otherwise.
    package static func word(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.utf8.allSatisfy { byte in
                Bytes.isAlphanumeric(byte) || "-_.:/,+=@%".utf8.contains(byte)
            }
        return plain ? text : quote(text)
    }

    /// Whether `name` can be a shell variable's name (`export NAME=...` sets nothing else).
    package static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, Bytes.isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    /// A directory, keeping a leading `~` expandable.
    package static func path(_ path: String) -> String {
        if path == "~" { return "~" }
        if path.hasPrefix("~/") { return "~/" + quote(String(path.dropFirst(2))) }
        return quote(path)
    }
}

extension String {
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
