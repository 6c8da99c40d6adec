/// ArgumentParser wraps a command's discussion to the terminal's width, examples included, and
/// an example cut in two cannot be pasted into a shell. Every discussion here ends its examples
/// block with a blank line and indents each example by two spaces, so the lines ArgumentParser
/// broke off (it breaks at a space and does not indent what follows) are joined back.
enum HelpText {
    static func unwrappingExamples(_ help: String) -> String {
        var lines: [Substring] = []
        var inExamples = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                inExamples = false
            } else if inExamples, !line.hasPrefix("  "), let last = lines.last {
                lines[lines.count - 1] = last + " " + line
                continue
            }
            if line.hasSuffix("Examples:") { inExamples = true }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
