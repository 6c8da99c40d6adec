/// Byte-level helpers over UTF-8. Recognition runs on every line of every code block, and
/// `Character` processing (grapheme breaking, Unicode property look-ups) made parsing ten times
/// slower than libcmark itself; every syntax we look for is ASCII.
package enum Bytes {
    package static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    package static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// A byte of a plain path: letters, digits, `/`, `.`, `_` and `-`.
    package static func isPathByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    package static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    package static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }

    /// Splits text into lines at `\n`, dropping a `\r` before it (CRLF files). A final
    /// newline does not start an empty last line.
    package static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var lines: [Substring] = []
        lines.reserveCapacity(8)
        let scanned: Void? = utf8.withContiguousStorageIfAvailable { buffer in
            var start = 0
            for index in buffer.indices where buffer[index] == 0x0A {
                let end = index > start && buffer[index - 1] == 0x0D ? index - 1 : index
                lines.append(
                    Substring(
                        utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
                )
                start = index + 1
            }
            if start < buffer.count {
                let end = buffer[buffer.count - 1] == 0x0D ? buffer.count - 1 : buffer.count
                lines.append(
                    Substring(
                        utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
                )
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

    /// Consecutive lines of one text, as `lines` cut them, joined with newlines: in one copy of
    /// the text they span when no CR was dropped from them (documented output is most of a
    /// runbook's bytes, and joining line by line grows the string several times).
    package static func joined(_ lines: ArraySlice<Substring>) -> String {
        guard let first = lines.first, let last = lines.last else { return "" }
        let span = first.base[first.startIndex..<last.endIndex]
        return span.firstOffset(of: 0x0D) == nil ? String(span) : lines.joined(separator: "\n")
    }

    /// Whether `text` contains one of `needles`, ASCII letters compared case-insensitively.
    /// (`String.contains(String)` goes through the regex engine: far too slow per paragraph.)
    package static func containsAny(_ text: String, of needles: [[UInt8]]) -> Bool {
        let count = text.utf8.count
        var text = text
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { lowered in
            text.withUTF8 { bytes in
                for index in bytes.indices {
                    lowered[index] = bytes[index] >= 0x41 && bytes[index] <= 0x5A ? bytes[index] | 0x20 : bytes[index]
                }
            }
            let haystack = UnsafeBufferPointer(rebasing: lowered[..<count])
            return needles.contains { find($0, in: haystack) != nil }
        }
    }

    /// The offset of the first occurrence of `needle` in `haystack`.
    package static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        haystack.withUnsafeBufferPointer { find(needle, in: $0) }
    }

    package static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, let base = haystack.baseAddress, haystack.count >= needle.count else {
            return nil
        }
        let last = haystack.count - needle.count
        var index = 0
        while let start = offset(of: first, in: haystack, from: index, to: last + 1) {
            if needle.withUnsafeBytes({ Platform.sameBytes(base + start, $0.baseAddress!, count: needle.count) }) {
                return start
            }
            index = start + 1
        }
        return nil
    }

    /// The offset of the first `byte` in `buffer[start..<end]` (`end` defaults to the whole
    /// buffer), by `memchr`: the scan every line search here is made of.
    package static func offset(
        of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil
    ) -> Int? {
        let end = end ?? buffer.count
        guard let base = buffer.baseAddress, start < end,
            let found = Platform.firstByte(byte, at: base + start, count: end - start)
        else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// The range of the next run of non-blanks at or after `index`, which it moves past; nil at
    /// the end. Fields, as `awk` splits them, one at a time.
    package static func nextField(in bytes: UnsafeBufferPointer<UInt8>, from index: inout Int) -> Range<Int>? {
        while index < bytes.count, isBlank(bytes[index]) { index += 1 }
        guard index < bytes.count else { return nil }
        let start = index
        while index < bytes.count, !isBlank(bytes[index]) { index += 1 }
        return start..<index
    }

    /// A decimal integer with an optional sign, as `Int(_:)` reads one, from bytes.
    package static func integer(_ bytes: some Collection<UInt8>) -> Int? {
        var digits = bytes[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) =
                negative
                ? times.subtractingReportingOverflow(Int(digit - 0x30))
                : times.addingReportingOverflow(Int(digit - 0x30))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
        }
        return value
    }

    /// Splits at runs of blanks, as `awk` does.
    package static func fields(_ text: Substring) -> [Substring] {
        var fields: [Substring] = []
        fields.reserveCapacity(8)
        text.withBytes { bytes in
            var index = 0
            while let field = nextField(in: bytes, from: &index) { fields.append(text.bytes(field)) }
        }
        return fields
    }
}

extension Substring {
    /// The text's UTF-8 bytes in one buffer: scanning a buffer is several times faster than
    /// walking `utf8` indices, and recognition scans every line of every block.
    /// Borrowed, not copied: `withUTF8` is mutating, and the copy it needs costs a retain and a
    /// release of the whole text on every call.
    @inline(__always)
    package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = self
        return text.withUTF8(body)
    }

    /// The bytes at `range` (offsets from the start) as a Substring of the same text.
    @inline(__always)
    package func bytes(_ range: Range<Int>) -> Substring {
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        return Substring(utf8[start..<utf8.index(start, offsetBy: range.count)])
    }

    /// Without leading and trailing blanks (space, tab, CR).
    package var trimmingSpaces: Substring {
        // Most text has nothing to trim: look at both ends before touching the bytes.
        guard let first = utf8.first, let last = utf8.last, Bytes.isBlank(first) || Bytes.isBlank(last) else {
            return self
        }
        let range = withBytes { buffer in
            var start = 0, end = buffer.count
            while start < end, Bytes.isBlank(buffer[start]) { start += 1 }
            while end > start, Bytes.isBlank(buffer[end - 1]) { end -= 1 }
            return start..<end
        }
        return range.count == utf8.count ? self : bytes(range)
    }

    /// Without trailing blanks (space, tab, CR): how documented output is compared and written.
    package var trimmingTrailingBlanks: Substring {
        var end = utf8.endIndex
        while end > utf8.startIndex, Bytes.isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return Substring(utf8[..<end])
    }

    /// `hasPrefix` by bytes, without the grapheme breaking `String.hasPrefix` does.
    package func hasBytePrefix(_ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { prefix in
            withBytes {
                $0.count >= prefix.count
                    && (prefix.isEmpty || Platform.sameBytes($0.baseAddress!, prefix.baseAddress!, count: prefix.count))
            }
        }
    }

    /// `hasSuffix` by bytes.
    package func hasByteSuffix(_ suffix: StaticString) -> Bool {
        suffix.withUTF8Buffer { suffix in
            withBytes { $0.count >= suffix.count && $0.suffix(suffix.count).elementsEqual(suffix) }
        }
    }

    /// Offset of the first `byte`, by `memchr`.
    package func firstOffset(of byte: UInt8) -> Int? {
        withBytes { Bytes.offset(of: byte, in: $0) }
    }
}
