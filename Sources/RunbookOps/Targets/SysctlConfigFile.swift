import RunbookCore

/// Idempotent edits of a sysctl config file (`/etc/sysctl.conf`, `/etc/sysctl.d/*.conf`).
///
/// Unlike ansible.posix.sysctl, which rewrites the whole file, only the lines of the key change:
/// every other byte (comments, spacing, other keys, their order) stays as it was. The write is
/// atomic: a temporary file in the same directory, fsync, rename, with the old file's mode and
/// owner; a crash leaves either the old file or the new one.
public enum SysctlConfigFile {
    /// Sets `key` to `value` in the text: every line that assigns the key gets the new value in
    /// place (its spacing kept); the line is appended when the key is absent. Nil when nothing
    /// needs to change.
    public static func setting(_ key: String, to value: String, in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var found = false
        var changed = false
        for (index, line) in lines.enumerated() {
            guard let (rawKey, oldValue) = SysctlSetting.configLine(Substring(line)),
                case .success(let canonical) = SysctlKey.canonical(rawKey), canonical == key
            else { continue }
            found = true
            if sameValue(String(oldValue), value) { continue }
            let equals = line.firstIndex(of: "=")!
            let afterEquals = line[line.index(after: equals)...]
            let spacing = afterEquals.prefix(while: { $0 == " " || $0 == "\t" })
            let carriageReturn = line.hasSuffix("\r") ? "\r" : ""
            lines[index] = String(line[...equals]) + spacing + value + carriageReturn
            changed = true
        }
        if !found {
            lines.append("\(key) = \(value)")
            changed = true
        }
        return changed ? lines.joined(separator: "\n") + "\n" : nil
    }

    /// procps compares values as whitespace-separated fields (`4096 87380 6291456`).
    public static func sameValue(_ lhs: String, _ rhs: String) -> Bool {
        lhs.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            == rhs.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
    }

    /// Sets the key in the file at `path` on a target, creating it (and its directory) when
    /// missing. Returns the file's text before, when it changed (nil inside: it did not exist).
    static func set(
        _ key: String, to value: String, inFileAt path: String, on state: any TargetState
    ) throws -> String?? {
        let existing = try state.readFile(path)
        guard let text = setting(key, to: value, in: existing ?? "") else { return .none }
        try state.replaceFile(path, with: text)
        return .some(existing)
    }
}
