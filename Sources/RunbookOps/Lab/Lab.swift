import Foundation
import RunbookCore

/// A disposable lab of network namespaces built from a runbook's topology: one namespace per
/// host and one for the switch (a bridge), each host with an `eth0` veth into the bridge.
/// Nothing is ever connected to the host's own namespace, every name carries the lab's unique
/// prefix, and a registry under /run/runbook/labs says what exists so that `lab down --all`
/// can clean up after a run that was killed.
public final class Lab {
    public let id: String
    public let topology: LabTopology
    public let runbookPath: String
    public static let registry = "/run/runbook/labs"
    /// Every lab name starts with this, so that leftovers are recognisable.
    public static let prefix = "rbl"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(topology: LabTopology, runbookPath: String, id: String? = nil) {
        self.topology = topology
        self.runbookPath = runbookPath
        self.id = id ?? "\(Lab.prefix)\(String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16))"
    }

    public var switchNamespace: String { "\(id)-sw" }

    public func namespace(of host: LabTopology.Host) -> String { "\(id)-\(host.name)" }

    public var namespaces: [String] { [switchNamespace] + topology.hosts.map(namespace(of:)) }

    /// Each role of the runbook mapped to its hosts' namespaces, for exec and audit.
    public var targets: TargetMap {
        var map = TargetMap()
        for host in topology.hosts { map.roles[host.role, default: []].append(.netns(namespace(of: host))) }
        return map
    }

    /// The targets of the roles `runbook`'s steps run on: the lab also has hosts no step names
    /// (the client), and a map naming them would be a user's typo anywhere else.
    public func targets(for runbook: Runbook) -> TargetMap {
        let roles = Set(runbook.hosts)
        var map = targets
        map.roles = map.roles.filter { roles.contains($0.key) }
        return map
    }

    /// The executor of `runbook` on this lab's namespaces: `lab run`, and `lab exec` on a lab
    /// that is up, run the steps alike (the lab's own service stands in for IPVS where the
    /// kernel has none).
    public func executor(for runbook: Runbook) throws(ExecPlan.Problem) -> Executor {
        var options = ExecPlan.Options()
        options.targets = targets(for: runbook)
        options.ipvsStandIn = ipvsStandIn
        return Executor(plan: try ExecPlan(runbook: runbook, options: options), journal: nil)
    }

    /// The auditor of `runbook` on this lab's namespaces, for `lab run` and `lab audit`.
    public func auditor(for runbook: Runbook) throws(ExecPlan.Problem) -> Auditor {
        var options = Auditor.Options()
        options.targets = targets(for: runbook)
        return try Auditor(runbook: runbook, options: options)
    }

    // MARK: Up and down

    /// Builds the namespaces, a bridge per subnet, a veth per host device into the bridge of its
    /// subnet, the addresses and the starting routes (realservers of a diagram route via the
    /// director, as the diagram implies). On failure, what was built is removed.
    public func up() throws(Failure) {
        try register()
        do {
            try Lab.ip(["-batch", "-"], input: namespaces.map { "netns add \($0)\n" }.joined())
            let subnets = topology.subnets
            var bridge = "link set lo up\n"
            for index in subnets.indices { bridge += "link add br\(index) type bridge\nlink set br\(index) up\n" }
            for (hostIndex, host) in topology.hosts.enumerated() {
                for (deviceIndex, device) in host.devices.enumerated() {
                    let subnet = host.addresses.first { $0.device == device }?.subnet
                    let veth = "v\(hostIndex)_\(deviceIndex)"
                    bridge +=
                        "link add \(veth) type veth peer name \(device) netns \(namespace(of: host))\n"
                        + "link set \(veth) master br\(subnets.firstIndex(of: subnet ?? "") ?? 0) up\n"
                }
            }
            try Lab.ip(["-n", switchNamespace, "-batch", "-"], input: bridge)
            for host in topology.hosts {
                var commands = "link set lo up\n"
                for address in host.addresses {
                    commands +=
                        "addr add \(address.address)/\(address.length) dev \(address.device) label \(address.label)\n"
                }
                for device in host.devices { commands += "link set \(device) up\n" }
                for route in host.routes { commands += "route add \(route.arguments)\n" }
                if host.routes.isEmpty, host.role == "realserver", let gateway = topology.directorAddress {
                    commands += "route add default via \(gateway) dev eth0\n"
                }
                try Lab.ip(["-n", namespace(of: host), "-batch", "-"], input: commands)
                for setting in host.sysctls { try set(setting, on: host) }
            }
        } catch {
            _ = down()
            throw error
        }
    }

    private func set(_ setting: LabTopology.Setting, on host: LabTopology.Host) throws(Failure) {
        do {
            _ = try DirectState(target: .netns(namespace(of: host))).setSysctl(setting.key, setting.value)
        } catch {
            throw Failure(description: "cannot set \(setting.key) = \(setting.value) on \(host.name): \(error)")
        }
    }

    /// Removes everything the lab created: its processes, namespaces, /etc/netns files and
    /// registry entry. Returns what could not be removed.
    @discardableResult
    public func down() -> [String] {
        Lab.remove(namespaces: namespaces, registryEntry: "\(Lab.registry)/\(id).json")
    }

    /// A lab as the registry records it: what this tool created, and the process that did.
    struct Registration: Decodable {
        var id: String
        var runbook: String?
        var namespaces: [String]
        var owner: Int32?
        /// The owner's start time (/proc/PID/stat), so that a reused PID is not taken for it.
        var ownerStart: String?

        /// The owner still runs (a `lab run` in progress) and is not this process.
        var isInUse: Bool {
            guard let owner, owner != Processes.current, let ownerStart else { return false }
            return Processes.startTime(owner) == ownerStart
        }
    }

    /// The registry's labs, each with its entry's path.
    static func registrations() -> [(path: String, lab: Registration)] {
        ((try? FileManager.default.contentsOfDirectory(atPath: registry)) ?? []).filter { $0.hasSuffix(".json") }
            .sorted()
            .compactMap { entry in
                let path = "\(registry)/\(entry)"
                guard let bytes = try? FileIO.read(path, limit: 1 << 20, regularOnly: true),
                    let lab = try? JSONDecoder().decode(Registration.self, from: Data(bytes))
                else { return nil }
                return (path, lab)
            }
    }

    /// Removes every lab the registry says this tool created, and nothing else: a namespace
    /// named like a lab that the registry does not list is someone else's. A lab whose owning
    /// process still runs is left alone unless `force`. Returns what could not be removed, and
    /// the labs left alone.
    @discardableResult
    public static func downAll(force: Bool = false) -> (problems: [String], inUse: [String]) {
        remove(registrations(), force: force)
    }

    /// Removes the labs of a runbook, as `downAll` does.
    public static func down(runbook runbookPath: String, force: Bool = false) -> (problems: [String], inUse: [String]) {
        let wanted = absolute(runbookPath)
        return remove(registrations().filter { $0.lab.runbook == wanted }, force: force)
    }

    /// The ids of the labs in the registry built from this runbook.
    public static func registered(for runbookPath: String) -> [String] {
        let wanted = absolute(runbookPath)
        return registrations().map(\.lab).filter { $0.runbook == wanted }.map(\.id)
    }

    private static func remove(
        _ labs: [(path: String, lab: Registration)], force: Bool
    ) -> (
        problems: [String], inUse: [String]
    ) {
        var problems: [String] = [], inUse: [String] = []
        for (path, lab) in labs {
            if lab.isInUse, !force {
                inUse.append("lab \(lab.id) is in use by process \(lab.owner ?? 0) (a lab run in progress)")
                continue
            }
            problems += remove(namespaces: lab.namespaces, registryEntry: path)
        }
        return (problems, inUse)
    }

    private static func remove(namespaces: [String], registryEntry: String?) -> [String] {
        var problems: [String] = []
        for name in namespaces {
            Processes.killAll(inNamespaceAt: "/run/netns/\(name)")
            try? FileManager.default.removeItem(atPath: "/etc/netns/\(name)")
        }
        let existing = namespaces.filter { FileManager.default.fileExists(atPath: "/run/netns/\($0)") }
        if !existing.isEmpty {
            do {
                try ip(["-batch", "-"], input: existing.map { "netns del \($0)\n" }.joined())
            } catch {
                problems.append(error.description)
            }
        }
        // /etc/netns itself stays: it is ip-netns(8)'s place, and another run may be writing
        // in it at this very moment. rmdir(2) removes it only when empty, atomically.
        Processes.removeIfEmpty("/etc/netns")
        if let registryEntry { try? FileManager.default.removeItem(atPath: registryEntry) }
        return problems
    }

    private func register() throws(Failure) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("id", id)
        writer.field("runbook", Lab.absolute(runbookPath))
        writer.field("created", Timestamp.iso8601(Timestamp.now()))
        writer.key("namespaces")
        writer.beginArray()
        for name in namespaces { writer.string(name) }
        writer.endArray()
        writer.field("owner", Int(Processes.current))
        writer.field("ownerStart", Processes.startTime(Processes.current))
        writer.endObject()
        do {
            try FileIO.replace("\(Lab.registry)/\(id).json", with: String(decoding: writer.bytes, as: UTF8.self) + "\n")
        } catch {
            throw Failure(description: "cannot register the lab: \(error)")
        }
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    // MARK: Running things

    /// Runs `ip` with the given arguments and standard input; fails with its stderr.
    static func ip(_ arguments: [String], input: String) throws(Failure) {
        try run(["ip"] + arguments, input: input)
    }

    /// Runs a command through the one spawner, its input written whole; fails with its stderr.
    static func run(_ arguments: [String], input: String = "") throws(Failure) {
        let result: (output: [UInt8], errors: [UInt8], status: Int32)
        do {
            let process = try ChildProcess(arguments)
            if !input.isEmpty, !process.write(Array(input.utf8)) {
                throw Failure(description: "\(arguments.joined(separator: " ")) took no input")
            }
            // Short `ip` and `nft` commands; after Ctrl-C they remove the lab, so it may not
            // stop them.
            result = process.finish(timeout: 60, interruptible: false)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "cannot run \(arguments.joined(separator: " ")): \(error)")
        }
        guard result.status == 0 else {
            throw Failure(
                description:
                    "\(arguments.joined(separator: " ")) failed: \(String(decoding: result.errors, as: UTF8.self).trimmingSpacesString)"
            )
        }
    }
}
