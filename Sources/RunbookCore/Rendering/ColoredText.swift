/// ANSI colour for the text reports (plan, exec, audit): used only when the CLI says its output
/// is a terminal that wants it (not NO_COLOR, not TERM=dumb).
package protocol ColoredText {
    var color: Bool { get }
}

extension ColoredText {
    package func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// A line of a unified diff: additions green, removals red.
    package func colorDiff(_ line: Substring) -> String {
        if line.hasPrefix("+") && !line.hasPrefix("+++") { return paint(String(line), "32") }
        if line.hasPrefix("-") && !line.hasPrefix("---") { return paint(String(line), "31") }
        return String(line)
    }
}
