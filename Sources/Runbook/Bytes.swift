/// Byte-level helpers over UTF-8. Recognition runs on every line of every code block, and
/// `Character` processing (grapheme breaking, Unicode property look-ups) made parsing ten times
/// slower than libcmark itself; every syntax we look for is ASCII.
enum Bytes {
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }

    /// Splits text into lines at `\n`, dropping a `\r` before it (CRLF files). A final
    /// newline does not start an empty last line.
    static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var lines: [Substring] = []
        let scanned: Void? = utf8.withContiguousStorageIfAvailable { buffer in
            var start = 0
            for index in buffer.indices where buffer[index] == 0x0A {
                let end = index > start && buffer[index - 1] == 0x0D ? index - 1 : index
                lines.append(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]))
                start = index + 1
            }
            if start < buffer.count {
                let end = buffer[buffer.count - 1] == 0x0D ? buffer.count - 1 : buffer.count
                lines.append(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]))
            }
        }
        if scanned == nil {
            lines = utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                line.last == 0x0D ? Substring(line.dropLast()) : Substring(line)
            }
            if utf8.last == 0x0A { lines.removeLast() }
        }
        return lines
    }

    /// Whether `text` contains one of `needles`, ASCII letters compared case-insensitively.
    /// (`String.contains(String)` goes through the regex engine: far too slow per paragraph.)
    static func containsAny(_ text: String, of needles: [[UInt8]]) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            needles.contains { needle in
                guard let first = needle.first, haystack.count >= needle.count else { return false }
                for start in 0...(haystack.count - needle.count) where lowered(haystack[start]) == first {
                    if needle.indices.allSatisfy({ lowered(haystack[start + $0]) == needle[$0] }) { return true }
                }
                return false
            }
        }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// The offset of the first occurrence of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            guard let start = haystack[index...].firstIndex(of: first), start <= haystack.count - needle.count else { return nil }
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            index = start + 1
        }
        return nil
    }

    /// Whether `text` has one of two bytes among its first `limit` bytes: a cheap test that
    /// lets most lines skip prompt matching.
    static func contains(_ text: Substring, _ first: UInt8, or second: UInt8, within limit: Int) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ buffer in
            buffer.prefix(limit).contains { $0 == first || $0 == second }
        }) {
            return found
        }
        return text.utf8.prefix(limit).contains { $0 == first || $0 == second }
    }

    /// Splits at runs of blanks, as `awk` does.
    static func fields(_ text: Substring) -> [Substring] {
        text.utf8.split(whereSeparator: isBlank).map { Substring($0) }
    }
}

extension Substring {
    /// Without leading and trailing blanks (space, tab, CR).
    var trimmingSpaces: Substring {
        let bytes = utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, Bytes.isBlank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, Bytes.isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return Substring(bytes[start..<end])
    }

    /// `hasPrefix` by bytes, without the grapheme breaking `String.hasPrefix` does.
    /// Without trailing blanks (space, tab, CR): how documented output is compared and written.
    var trimmingTrailingBlanks: Substring {
        var end = utf8.endIndex
        while end > utf8.startIndex, Bytes.isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return Substring(utf8[..<end])
    }

    func starts(with prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { utf8.starts(with: $0) }
    }

    func containsByte(_ byte: UInt8) -> Bool {
        utf8.contains(byte)
    }
}
