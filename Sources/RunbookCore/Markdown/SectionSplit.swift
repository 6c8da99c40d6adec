/// Where a large Markdown document can be cut so that libcmark parses the parts independently,
/// on all cores, and yields the blocks it would have yielded for the whole.
///
/// A cut goes just before a top-level ATX heading (`#` in column 0, outside any fence): such a
/// line closes every open container (lists, quotes, paragraphs), so nothing before it changes
/// how anything after it parses, and a runbook's section starts there anyway (rule 6 resets
/// the inherited host at headings). The scan gives up, leaving the document whole, on anything
/// whose extent it does not track exactly: indented fences (they may belong to a list item),
/// HTML blocks, link reference definitions (they reach across the document) and lone carriage
/// returns (cmark counts them as line ends).
package enum SectionSplit {
    package struct Part: Equatable {
        /// Byte range in the document.
        package var range: Range<Int>
        /// File line of the part's first line, minus one: what to add to cmark's lines.
        package var lineOffset: Int
    }

    /// Documents smaller than this are parsed whole: the parts would not pay for their threads.
    package static let minimumPart = 128 << 10

    /// Cuts `text` into about `parts` parts of at least `minimumPart` bytes each.
    package static func split(_ text: UnsafeBufferPointer<UInt8>, parts: Int, minimumPart: Int = minimumPart) -> [Part]
    {
        let whole = [Part(range: 0..<text.count, lineOffset: 0)]
        let target = max(minimumPart, text.count / max(parts, 1))
        guard text.count >= 2 * target, !hasLoneCarriageReturn(text) else { return whole }
        var cuts: [Part] = []
        var part = Part(range: 0..<0, lineOffset: 0)
        var line = 0
        var fence: (character: UInt8, length: Int)? = nil
        var start = 0
        while start < text.count {
            let end = Bytes.offset(of: 0x0A, in: text, from: start) ?? text.count
            var content = end
            if content > start, text[content - 1] == 0x0D { content -= 1 }
            defer {
                start = end + 1
                line += 1
            }
            if let open = fence {
                if closes(text, start..<content, open) { fence = nil }
                continue
            }
            var first = start
            while first < content, text[first] == 0x20 || text[first] == 0x09 { first += 1 }
            guard first < content else { continue }
            let indent = first - start
            let byte = text[first]
            if byte == UInt8(ascii: "`") || byte == UInt8(ascii: "~") {
                var run = first
                while run < content, text[run] == byte { run += 1 }
                guard run - first >= 3 else { continue }
                if byte == UInt8(ascii: "`"), text[run..<content].contains(byte) { continue }
                if indent > 0 { return whole }
                fence = (byte, run - first)
                continue
            }
            if indent > 3 { continue }
            if byte == UInt8(ascii: "<") { return whole }
            if byte == UInt8(ascii: "["), isReferenceDefinition(text[first..<content]) {
                return whole
            }
            if indent == 0, byte == UInt8(ascii: "#"), isHeading(text[start..<content]),
                start - part.range.lowerBound >= target, text.count - start >= target / 2
            {
                part.range = part.range.lowerBound..<start
                cuts.append(part)
                part = Part(range: start..<start, lineOffset: line)
            }
        }
        part.range = part.range.lowerBound..<text.count
        cuts.append(part)
        return cuts
    }

    /// A carriage return followed by anything but a line feed (one at the very end ends the
    /// last line); looked for in one pass over the text rather than line by line, since most
    /// files have no carriage return at all.
    private static func hasLoneCarriageReturn(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while let carriageReturn = Bytes.offset(of: 0x0D, in: text, from: start) {
            if carriageReturn + 1 < text.count, text[carriageReturn + 1] != 0x0A { return true }
            start = carriageReturn + 1
        }
        return false
    }

    /// `#` to `######` followed by a blank or the end of the line.
    private static func isHeading(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let hashes = line.prefix(while: { $0 == UInt8(ascii: "#") }).count
        guard hashes <= 6 else { return false }
        let after = line.dropFirst(hashes).first
        return after == nil || after == 0x20 || after == 0x09
    }

    /// A line that may close a fence opened in column 0: up to three spaces, the fence
    /// character at least as many times as it opened, then only blanks.
    private static func closes(
        _ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ fence: (character: UInt8, length: Int)
    ) -> Bool {
        var rest = text[line].drop(while: { $0 == 0x20 })
        guard line.count - rest.count <= 3 else { return false }
        let run = rest.prefix(while: { $0 == fence.character }).count
        guard run >= fence.length else { return false }
        rest = rest.dropFirst(run)
        return rest.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// `[label]: destination`: cmark resolves links against it anywhere in the document.
    private static func isReferenceDefinition(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let close = line.firstIndex(of: UInt8(ascii: "]")) else { return false }
        return line[close...].dropFirst().first == UInt8(ascii: ":")
    }
}
