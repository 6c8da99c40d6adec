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

    /// Splits text into lines at `\n`, dropping a `\r` before it (CRLF files).
    static func lines(_ text: some StringProtocol) -> [Substring] {
        Substring(text).utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? Substring(line.dropLast()) : Substring(line)
        }
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

    func hasPrefix(byte: UInt8) -> Bool {
        utf8.first == byte
    }

    func containsByte(_ byte: UInt8) -> Bool {
        utf8.contains(byte)
    }
}
