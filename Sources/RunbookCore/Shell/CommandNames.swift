/// Tells a block of commands without prompts or a language from a block of output, a diagram or
/// a config file, by the first word of each line (see `CommandVocabulary`).
package enum CommandNames {
    /// Blank lines, `#` comments, `//` comments (not shell, but common in posts) and the lone
    /// braces of a `{ ... }` group: lines a script runs nothing for.
    package static func isSkippable(_ text: Substring) -> Bool {
        guard let first = text.utf8.first else { return true }
        if first == UInt8(ascii: "#") || text.hasBytePrefix("//") { return true }
        return text.utf8.count == 1 && (first == UInt8(ascii: "{") || first == UInt8(ascii: "}"))
    }

    /// Whether a line could be typed at a shell as it stands: blank lines, `#` comments and
    /// lines starting with a known command, an assignment or a path.
    package static func looksLikeCommandLine(_ line: Substring) -> Bool {
        let text = line.trimmingSpaces
        if isSkippable(text) { return true }
        guard let name = commandName(text) else { return false }
        // `for each incoming interface`: prose; a loop is `for NAME in ...` or `for ((`.
        if name == "for", !isForLoop(text) { return false }
        return CommandVocabulary.contains(name) || name.hasBytePrefix("./")
            || (name.hasBytePrefix("/") && name.utf8.count > 1)
    }

    private static func isForLoop(_ text: Substring) -> Bool {
        let words = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 2 else { return false }
        return words[1].hasPrefix("((")
            || (words.count >= 3 && (words[2] == "in" || words[2].hasPrefix(";") || words[2] == "do"))
            || words[1].hasSuffix(";")
    }

    /// `NAME=value` and nothing else on the line: a line of an env or ifcfg file, or a shell
    /// variable set for the lines after it.
    package static func isBareAssignment(_ text: Substring) -> Bool {
        text.withBytes { bytes in
            guard let first = bytes.first, Bytes.isLetter(first) || first == UInt8(ascii: "_") else { return false }
            var index = 1
            while index < bytes.count, Bytes.isAlphanumeric(bytes[index]) || bytes[index] == UInt8(ascii: "_") {
                index += 1
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return false }
            var quote: UInt8? = nil
            for byte in bytes[(index + 1)...] {
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if Bytes.isBlank(byte) || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "|")
                    || byte == UInt8(ascii: "&")
                {
                    return false
                }
            }
            return true
        }
    }

    /// A looser test for blocks labelled as shell, where unknown programs are expected: the
    /// first word has the shape of a program name (not `|`, `___` or prose with a full-width
    /// colon).
    package static func isProgramShaped(_ line: Substring) -> Bool {
        guard let name = commandName(line.trimmingSpaces), let first = name.utf8.first else { return false }
        guard Bytes.isLetter(first) || "_./~$".utf8.contains(first) else { return false }
        return name.utf8.contains(where: Bytes.isLetter)
            && name.utf8.allSatisfy { Bytes.isAlphanumeric($0) || "_./+-~${}".utf8.contains($0) }
    }

    /// The program a command line runs, after `sudo`; a line starting with an assignment
    /// (`KUBE_LATEST=$(curl ...)`, `LANG=C sort`) counts as `export`.
    private static func commandName(_ text: Substring) -> Substring? {
        // Offsets of the first two words, and whether the first is an assignment.
        let (first, second, assigns): (Range<Int>?, Range<Int>?, Bool) = text.withBytes { bytes in
            var index = 0
            guard let first = Bytes.nextField(in: bytes, from: &index) else { return (nil, nil, false) }
            let word = bytes[first]
            let assigns =
                word.firstIndex(of: UInt8(ascii: "=")).map { equals in
                    equals != first.lowerBound
                        && word[..<equals].allSatisfy { Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
                } ?? false
            return (first, Bytes.nextField(in: bytes, from: &index), assigns)
        }
        guard let first else { return nil }
        if assigns { return "export" }
        let name = text.bytes(first)
        guard name == "sudo" else { return name }
        return second.map { text.bytes($0) }
    }
}
