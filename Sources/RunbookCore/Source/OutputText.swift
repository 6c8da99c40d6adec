/// Command output as it is compared and written back: what a terminal shows, without the
/// trailing blanks and empty lines that copy and paste add or drop.
package enum OutputText {
    /// Lines without trailing blanks, trailing empty lines dropped.
    package static func normalizedLines(_ text: String) -> [Substring] {
        var lines = Bytes.lines(text).map(\.trimmingTrailingBlanks)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// `...` (or `…`) alone on a line: the author left lines out, of a table or of a file.
    package static func isElision(_ line: Substring) -> Bool {
        let trimmed = line.trimmingSpaces
        // Asked of every row of every table: most start with neither `.` nor `…` (0xE2).
        guard let first = trimmed.utf8.first, first == UInt8(ascii: ".") || first == 0xE2 else { return false }
        return trimmed == "..." || trimmed == "…" || trimmed == "......"
    }
}
