/// Reads an Ansible inventory in either of its formats: INI (`[group]`, `[group:children]`,
/// `[group:vars]`, `host key=value ...`) or YAML (`all: {hosts: ..., children: ..., vars:
/// ...}`). Host names may hold ranges, `web[01:50]` or `db-[a:c]`, expanded as Ansible does.
/// A problem is an error at its line.
public enum InventoryReader {
    public static func read(_ text: String, file: String) throws(Diagnostic) -> Inventory {
        let firstLine = text.split(separator: "\n").first { line in
            let trimmed = line.trimmingSpaces
            return !trimmed.isEmpty && !trimmed.hasPrefix("#") && !trimmed.hasPrefix(";")
        }
        let isINI = firstLine.map { $0.trimmingSpaces.hasPrefix("[") || !$0.contains(":") } ?? true
        return isINI ? try ini(text, file: file) : try yaml(text, file: file)
    }

    // MARK: INI

    private static func ini(_ text: String, file: String) throws(Diagnostic) -> Inventory {
        var inventory = Inventory(file: file)
        enum Section { case hosts, children, vars }
        var group = "ungrouped"
        var section = Section.hosts
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let content = raw.trimmingSpaces
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]") else { throw .error(file, line, "a section header ends with ']'") }
                let header = content.dropFirst().dropLast()
                let parts = header.split(separator: ":", maxSplits: 1)
                guard let name = parts.first.map(String.init), isGroupName(name) else {
                    throw .error(file, line, "'\(header)' is not a group name")
                }
                group = name
                switch parts.count == 2 ? String(parts[1]) : "" {
                case "": section = .hosts
                case "children": section = .children
                case "vars": section = .vars
                case let other: throw .error(file, line, "unknown section kind ':\(other)' (children or vars)")
                }
                inventory.groups[group, default: Inventory.Group(name: group)].name = group
                continue
            }
            let words = try self.words(content, file: file, line: line)
            switch section {
            case .hosts:
                var variables: [String: String] = [:]
                for word in words.dropFirst() {
                    guard let (key, value) = assignment(word) else {
                        throw .error(file, line, "'\(word)' is not KEY=VALUE")
                    }
                    variables[key] = value
                }
                for name in try expand(words[0], file: file, line: line) {
                    add(name, to: group, variables: variables, line: line, in: &inventory)
                }
            case .children:
                guard words.count == 1, isGroupName(words[0]) else {
                    throw .error(file, line, "a :children section lists one group name a line")
                }
                inventory.groups[group, default: Inventory.Group(name: group)].children.append(words[0])
                inventory.groups[words[0], default: Inventory.Group(name: words[0])].name = words[0]
            case .vars:
                guard let (key, value) = assignment(content) else {
                    throw .error(file, line, "a :vars section holds KEY=VALUE lines")
                }
                inventory.groups[group, default: Inventory.Group(name: group)].variables[key] = value
            }
        }
        return inventory
    }

    /// Words split at blanks, with `"..."` and `'...'` kept whole (and unquoted).
    private static func words(_ text: Substring, file: String, line: Int) throws(Diagnostic) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character? = nil
        var started = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if character == " " || character == "\t" {
                if started { words.append(current) }
                current = ""
                started = false
            } else if character == "#", !started {
                break
            } else {
                current.append(character)
                started = true
            }
        }
        guard quote == nil else { throw .error(file, line, "a quote is never closed") }
        if started { words.append(current) }
        return words
    }

    private static func assignment<S: StringProtocol>(_ word: S) -> (String, String)? {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return nil }
        var value = String(word[word.index(after: equals)...]).trimmingSpacesString
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return (String(word[..<equals]).trimmingSpacesString, value)
    }

    // MARK: YAML

    private static func yaml(_ text: String, file: String) throws(Diagnostic) -> Inventory {
        let root = try FrontMatterDecoder.tree(text, file: file)
        guard let groups = root.mapping else { throw .error(file, 1, "an inventory is a mapping of groups") }
        var inventory = Inventory(file: file)
        for (key, value) in groups {
            try yamlGroup(key, value, file: file, into: &inventory)
        }
        return inventory
    }

    private static func yamlGroup(
        _ key: YAMLTree, _ node: YAMLTree, file: String, into inventory: inout Inventory
    )
        throws(Diagnostic)
    {
        guard let name = key.string, isGroupName(name) else {
            throw .error(file, key.line, "'\(key.string ?? "?")' is not a group name")
        }
        inventory.groups[name, default: Inventory.Group(name: name)].name = name
        if node.isNull { return }
        guard let body = node.mapping else { throw .error(file, key.line, "group '\(name)' is not a mapping") }
        for (field, value) in body {
            switch field.string {
            case "hosts":
                if value.isNull { continue }
                guard let hosts = value.mapping else {
                    throw .error(file, field.line, "hosts of '\(name)' is not a mapping")
                }
                for (hostKey, hostValue) in hosts {
                    guard let pattern = hostKey.string else { throw .error(file, hostKey.line, "a host name is text") }
                    let variables = try scalars(hostValue, file: file, line: hostKey.line)
                    for host in try expand(pattern, file: file, line: hostKey.line) {
                        add(host, to: name, variables: variables, line: hostKey.line, in: &inventory)
                    }
                }
            case "children":
                if value.isNull { continue }
                guard let children = value.mapping else {
                    throw .error(file, field.line, "children of '\(name)' is not a mapping")
                }
                for (childKey, childValue) in children {
                    try yamlGroup(childKey, childValue, file: file, into: &inventory)
                    if let child = childKey.string { inventory.groups[name]?.children.append(child) }
                }
            case "vars":
                inventory.groups[name]?.variables.merge(try scalars(value, file: file, line: field.line)) { $1 }
            default:
                throw .error(
                    file, field.line,
                    "unknown key '\(field.string ?? "?")' in group '\(name)' (hosts, children or vars)")
            }
        }
    }

    /// A mapping of scalar variables (others, such as lists, are not connection variables and
    /// are left out).
    private static func scalars(_ node: YAMLTree, file: String, line: Int) throws(Diagnostic) -> [String: String] {
        if node.isNull { return [:] }
        guard let mapping = node.mapping else { throw .error(file, line, "variables are a mapping") }
        var variables: [String: String] = [:]
        for (key, value) in mapping {
            if let name = key.string, let text = value.string { variables[name] = text }
        }
        return variables
    }

    // MARK: hosts

    private static func add(
        _ name: String, to group: String, variables: [String: String], line: Int, in inventory: inout Inventory
    ) {
        if let index = inventory.hosts.firstIndex(where: { $0.name == name }) {
            inventory.hosts[index].variables.merge(variables) { $1 }
        } else {
            inventory.hosts.append(Inventory.Host(name: name, variables: variables, line: line))
        }
        if inventory.groups[group]?.hosts.contains(name) != true {
            inventory.groups[group, default: Inventory.Group(name: group)].hosts.append(name)
        }
    }

    /// `web[01:03]` is web01, web02, web03; `[a:c]` letters; `[1:10:2]` a stride. Several
    /// ranges multiply.
    static func expand(_ pattern: String, file: String, line: Int) throws(Diagnostic) -> [String] {
        guard let open = pattern.firstIndex(of: "["), let close = pattern[open...].firstIndex(of: "]") else {
            return [pattern]
        }
        let head = String(pattern[..<open]), tail = String(pattern[pattern.index(after: close)...])
        let parts = pattern[pattern.index(after: open)..<close].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else {
            throw .error(file, line, "'\(pattern)': a range is [START:END] or [START:END:STEP]")
        }
        let step = parts.count == 3 ? Int(parts[2]) : 1
        var values: [String] = []
        if let start = Int(parts[0]), let end = Int(parts[1]), let step, step > 0, start <= end {
            let width = parts[0].count
            for value in stride(from: start, through: end, by: step) {
                let digits = String(value)
                values.append(String(repeating: "0", count: max(0, width - digits.count)) + digits)
            }
        } else if parts[0].count == 1, parts[1].count == 1, let start = parts[0].unicodeScalars.first,
            let end = parts[1].unicodeScalars.first, start.properties.isLowercase || start.properties.isUppercase,
            start.value <= end.value, let step, step > 0
        {
            for value in stride(from: start.value, through: end.value, by: step) {
                values.append(String(Character(Unicode.Scalar(value)!)))
            }
        } else {
            throw .error(file, line, "'\(pattern)': a range is [START:END] of numbers or of letters")
        }
        guard values.count <= 100_000 else { throw .error(file, line, "'\(pattern)' names more than 100000 hosts") }
        var names: [String] = []
        for value in values {
            names += try expand(head + value + tail, file: file, line: line)
        }
        return names
    }

    /// Ansible's group names: letters, digits and `_` (and `-`, which it warns about).
    private static func isGroupName<S: StringProtocol>(_ name: S) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}
