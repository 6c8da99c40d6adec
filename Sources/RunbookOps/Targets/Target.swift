import Foundation
import RunbookCore

/// Where a step's host runs: this machine, a network namespace on it, or a machine over SSH.
public enum Target: Hashable, Sendable, CustomStringConvertible {
    case local
    /// A named network namespace (`ip netns add NAME`); steps run in it as `ip netns exec` does.
    case netns(String)
    case ssh(user: String?, host: String, port: Int?)

    public var description: String {
        switch self {
        case .local: "local"
        case .netns(let name): "netns:\(name)"
        case .ssh(let user, let host, let port):
            "ssh://\(user.map { "\($0)@" } ?? "")\(host)\(port.map { ":\($0)" } ?? "")"
        }
    }

    /// The file a persisted setting goes to on this target, nil when it cannot go anywhere
    /// there. A namespace shares the host's file system; `ip netns exec` bind-mounts
    /// `/etc/netns/NAME/*` over `/etc` (ip-netns(8)), so that is where its own configuration
    /// lives, and a run never writes the host's /etc. Only a sysctl config file (itself checked
    /// to be one, with no `..` that would lead elsewhere) is ever a persist path.
    public func persistPath(_ path: String) -> String? {
        guard SysctlSetting.isConfigFile(path) else { return nil }
        switch self {
        case .local, .ssh: return path
        case .netns(let name):
            guard path.hasPrefix("/etc/") else { return nil }
            return "/etc/netns/\(name)/" + path.dropFirst("/etc/".count)
        }
    }

    /// Why this target refuses a sysctl key outright: a network namespace has its own `net.*`
    /// sysctls only, and `vm.*`, `kernel.*`, `fs.*` written or read there are the host's.
    public func refusal(ofSysctl key: String) -> String? {
        guard case .netns = self, !key.hasPrefix("net.") else { return nil }
        return
            "\(key) is not per network namespace: on \(self) it would be the host's own setting; run this step on a machine (local or ssh://) instead"
    }

    /// Why a sysctl key has no file on this target. A namespace has its own copy of only the
    /// `net.*` keys the kernel makes per network namespace (those under its /proc/sys/net);
    /// the others are the host's, and a namespace target never reaches them.
    public func missingKeyReason(_ key: String) -> String {
        switch self {
        case .netns:
            "\(key) is not per network namespace (\(self) has no \(SysctlKey.procPath(key))): it is the host's; set it there, not in a namespace"
        case .local, .ssh:
            "\(key) does not exist on \(self) (no \(SysctlKey.procPath(key)))"
        }
    }

    /// Why this target cannot be used on this machine, known without connecting: a network
    /// namespace that does not exist. Nil when nothing is known to be wrong.
    public var unavailability: String? {
        guard case .netns(let name) = self, !FileManager.default.fileExists(atPath: "/run/netns/\(name)") else {
            return nil
        }
        return "network namespace '\(name)' does not exist (ip netns list shows those that do)"
    }

    /// Whether a route change can cut the connection runbook reaches the target through.
    public var mayLoseItsConnection: Bool {
        if case .ssh = self { true } else { false }
    }

    /// Parses `local`, `netns:NAME` or `ssh://[user@]host[:port]`.
    public static func parse(_ text: String) -> Target? {
        if text == "local" { return .local }
        if text.hasPrefix("netns:") {
            let name = String(text.dropFirst("netns:".count))
            // ip-netns(8) names become file names under /run/netns.
            guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", isName(name[...]) else { return nil }
            return .netns(name)
        }
        if text.hasPrefix("ssh://") {
            var rest = Substring(text.dropFirst("ssh://".count))
            var user: String? = nil
            if let at = rest.firstIndex(of: "@") {
                user = String(rest[..<at])
                rest = rest[rest.index(after: at)...]
            }
            var port: Int? = nil
            if let colon = rest.lastIndex(of: ":") {
                guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else {
                    return nil
                }
                port = number
                rest = rest[..<colon]
            }
            // A user or host that starts with `-` would reach ssh as an option
            // (`-oProxyCommand=...` runs a local command).
            guard !rest.isEmpty, user?.isEmpty != true, isName(rest), user.map({ isName($0[...]) }) ?? true else {
                return nil
            }
            return .ssh(user: user, host: String(rest), port: port)
        }
        return nil
    }

    /// A name that stays one word and no option wherever it is passed: no leading `-`, no
    /// blank or control character.
    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "-") else { return false }
        return text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}

/// Which targets each host (role) of a runbook runs on.
public struct TargetMap: Sendable, Equatable {
    public var roles: [String: [Target]]

    public init(roles: [String: [Target]] = [:]) {
        self.roles = roles
    }

    /// A `--target` or inventory entry that is not a target.
    public typealias Problem = UsageProblem

    /// `ROLE=TARGET[,TARGET...]`, as `--target` takes it.
    public mutating func add(argument: String) throws(Problem) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw Problem(
                description:
                    "--target takes ROLE=TARGET[,TARGET...], e.g. director=local or realserver=netns:rs1,netns:rs2; got '\(argument)'"
            )
        }
        let role = String(argument[..<equals])
        roles[role] = try Self.targets(
            String(argument[argument.index(after: equals)...]).split(separator: ",").map(String.init), role: role)
    }

    /// The `targets:` of a runbook's front matter. Roles given on the command line win, role
    /// by role.
    public static func fromFrontMatter(_ frontMatter: FrontMatter?, file: String) throws(Diagnostic) -> TargetMap {
        var map = TargetMap()
        for role in frontMatter?.targets ?? [] {
            do {
                map.roles[role.role] = try targets(role.targets, role: role.role)
            } catch {
                throw .error(file, role.line, error.description)
            }
        }
        return map
    }

    /// The targets an Ansible inventory gives the runbook's roles: a group named like a role
    /// supplies its hosts (and its child groups' hosts), each as `ssh://USER@HOST:PORT` from
    /// `ansible_user`, `ansible_host` (else the inventory name) and `ansible_port`, or `local`
    /// for `ansible_connection=local`. `limit` (an Ansible pattern) keeps only the hosts it
    /// names; a role whose hosts it leaves out has no target, so its steps are skipped.
    public static func fromInventory(
        _ inventory: Inventory, roles: [String], limit: String?
    ) throws(Problem)
        -> TargetMap
    {
        let kept = limit.map { Set(inventory.hosts(matching: $0)) }
        var map = TargetMap()
        for role in roles where inventory.groups[role] != nil {
            var targets: [Target] = []
            for host in inventory.members(of: role) where kept?.contains(host) ?? true {
                let target = try self.target(of: host, in: inventory)
                if !targets.contains(target) { targets.append(target) }
            }
            map.roles[role] = targets
        }
        return map
    }

    /// The target an inventory host is reached at, as Ansible would connect to it.
    public static func target(of host: String, in inventory: Inventory) throws(Problem) -> Target {
        let text: String
        if inventory.variable("ansible_connection", of: host) == "local" {
            text = "local"
        } else {
            let user = inventory.variable("ansible_user", of: host).map { "\($0)@" } ?? ""
            let port = inventory.variable("ansible_port", of: host).map { ":\($0)" } ?? ""
            text = "ssh://\(user)\(inventory.variable("ansible_host", of: host) ?? host)\(port)"
        }
        guard let target = Target.parse(text) else {
            let line = inventory.hosts.first { $0.name == host }?.line ?? 0
            throw Problem(
                .error(
                    inventory.file, line,
                    "host '\(host)' gives '\(text)', which is not a target (a user, host or port that is not one)"))
        }
        return target
    }

    private static func targets(_ texts: [String], role: String) throws(Problem) -> [Target] {
        guard !texts.isEmpty else { throw Problem(description: "no target given for role '\(role)'") }
        var targets: [Target] = []
        for text in texts {
            guard let target = Target.parse(text) else {
                throw Problem(
                    description:
                        "'\(text)' (for role '\(role)') is not a target: use local, netns:NAME or ssh://[user@]host[:port]"
                )
            }
            targets.append(target)
        }
        return targets
    }
}
