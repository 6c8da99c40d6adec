/// Text from the runbook placed where a line of the output format ends at a newline (a `#`
/// comment of a script, a sysctl.d file or a playbook): a title or file name with a newline
/// would otherwise start a line of its own, a command or a setting.
enum ExportText {
    static func comment(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}"
                        ? " " : $0
                }))
    }
}
