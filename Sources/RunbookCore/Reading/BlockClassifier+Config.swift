/// Rule 3: a block of `key = value` lines is a sysctl config file.
extension BlockClassifier {
    mutating func configBlock(_ lines: [Substring], block: Document.CodeBlock, persist: String?) -> Bool {
        // Steps go straight into `steps` and are taken back if the block turns out not to be
        // a config block: building them aside would copy every setting once more.
        let first = steps.count
        var problems: [(Int, String)] = []
        for (offset, line) in lines.enumerated() {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.utf8.first == UInt8(ascii: "#") || trimmed.utf8.first == UInt8(ascii: ";") {
                continue
            }
            guard let (key, value) = SysctlSetting.configLine(line) else {
                takeBack(from: first)
                return false
            }
            switch SysctlKey.canonical(key) {
            case .success(let canonical):
                appendSetting(canonical, value, persist: persist, line: block.contentLine + offset, prompt: nil)
            case .failure(.invalid(let reason)):
                problems.append((block.contentLine + offset, reason))
            case .failure(.notSysctl):
                takeBack(from: first)
                return false
            }
        }
        guard steps.count > first || !problems.isEmpty else { return false }
        for (line, reason) in problems { error(line, reason) }
        return true
    }

    mutating func takeBack(from first: Int) {
        steps.removeSubrange(first...)
        unfiledSettings.removeAll { $0 >= first }
        fileLinesWithoutFile.removeAll { $0 >= first }
    }
}
