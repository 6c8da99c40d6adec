/// An Ansible inventory, as fleets already keep one: hosts with their connection variables, and
/// groups of hosts (a group may hold other groups). runbook takes from it what it needs to
/// reach a host: `ansible_host`, `ansible_port`, `ansible_user`, `ansible_connection=local`.
public struct Inventory: Sendable, Equatable {
    public struct Host: Sendable, Equatable {
        public var name: String
        /// Variables set on the host itself (its groups' are on the groups: see `variable`).
        public var variables: [String: String] = [:]
        public var line: Int
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        /// Host names, as listed (ranges expanded).
        public var hosts: [String] = []
        public var children: [String] = []
        public var variables: [String: String] = [:]
    }

    public var file: String
    /// Every host, in the order the file first names it.
    public var hosts: [Host] = []
    public var groups: [String: Group] = [:]

    /// The hosts of a group and of the groups under it, in file order; `all` is every host.
    public func members(of group: String) -> [String] {
        if group == "all" { return hosts.map(\.name) }
        var found: Set<String> = []
        var visited: Set<String> = []
        var pending = [group]
        while let name = pending.popLast() {
            guard visited.insert(name).inserted, let group = groups[name] else { continue }
            found.formUnion(group.hosts)
            pending += group.children
        }
        return hosts.map(\.name).filter(found.contains)
    }

    /// Groups that hold the host, directly or through a child group, nearest first.
    public func groups(of host: String) -> [String] {
        var result: [String] = []
        var level = groups.values.filter { $0.hosts.contains(host) }.map(\.name).sorted()
        while !level.isEmpty {
            result += level.filter { !result.contains($0) }
            let known = Set(result)
            level = groups.values.filter { group in
                !known.contains(group.name) && group.children.contains(where: known.contains)
            }.map(\.name).sorted()
        }
        return result
    }

    /// A variable of a host as Ansible resolves it for a connection: the host's own, else the
    /// nearest group's that sets it, else `all`'s.
    public func variable(_ name: String, of host: String) -> String? {
        if let value = hosts.first(where: { $0.name == host })?.variables[name] { return value }
        for group in groups(of: host) {
            if let value = groups[group]?.variables[name] { return value }
        }
        return groups["all"]?.variables[name]
    }

    /// The hosts that `--limit PATTERN` keeps, in file order. Ansible's patterns: names of
    /// hosts or groups, with `*` wildcards, joined by `,` or `:`; `!NAME` leaves out, `&NAME`
    /// keeps only what is also there.
    public func hosts(matching pattern: String) -> [String] {
        var included: Set<String> = []
        var intersections: [Set<String>] = []
        var excluded: Set<String> = []
        for part in pattern.split(whereSeparator: { $0 == "," || $0 == ":" }) {
            var word = Substring(part.trimmingSpaces)
            if word.hasPrefix("!") {
                word.removeFirst()
                excluded.formUnion(resolve(word))
            } else if word.hasPrefix("&") {
                word.removeFirst()
                intersections.append(resolve(word))
            } else {
                included.formUnion(resolve(word))
            }
        }
        return hosts.map(\.name).filter { name in
            included.contains(name) && !excluded.contains(name) && intersections.allSatisfy { $0.contains(name) }
        }
    }

    /// The hosts a pattern word names: a group's members, or hosts by name, either by glob.
    private func resolve(_ word: Substring) -> Set<String> {
        var names: Set<String> = []
        for group in groups.keys where Self.glob(word, matches: group) { names.formUnion(members(of: group)) }
        if Self.glob(word, matches: "all") { names.formUnion(hosts.map(\.name)) }
        for host in hosts where Self.glob(word, matches: host.name) { names.insert(host.name) }
        return names
    }

    /// `*` matches any run of characters; everything else itself.
    static func glob(_ pattern: Substring, matches name: String) -> Bool {
        let pattern = Array(pattern), name = Array(name)
        var p = 0, n = 0, star = -1, mark = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = n
                p += 1
            } else if p < pattern.count, pattern[p] == name[n] {
                p += 1
                n += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                n = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
