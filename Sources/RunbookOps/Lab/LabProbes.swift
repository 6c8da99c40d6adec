import Foundation
import RunbookCore

/// What a declared lab checks: responders on the ports hosts listen on, probes from one host to
/// an address, and the counters of a host's /proc/net/snmp and /proc/net/netstat.
extension Lab {
    /// Starts the built-in responder (`executable lab respond`) in a host's namespace and waits
    /// until it answers.
    func startResponder(
        on host: LabTopology.Host, address: String, port: Int, executable: String, checking: String? = nil
    ) throws(Failure) {
        // Not the ChildProcess spawner: a responder outlives runbook (`lab up` leaves it
        // running for `lab probe`), and a ChildProcess kills its group when it is released.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ip", "netns", "exec", namespace(of: host), executable, "lab", "respond",
            "--address", address, "--port", String(port), "--name", host.name,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start the responder on \(host.name): \(error)")
        }
        let asked = checking ?? (address == "0.0.0.0" ? "127.0.0.1" : address)
        var listening = false
        for _ in 0..<200 where !listening {
            listening =
                (try? NetworkNamespace.run(in: namespace(of: host)) {
                    LabProbe.ask(address: asked, port: port, timeout: 0.2) != nil
                }) == true
            if !listening { Platform.sleep(milliseconds: 10) }
        }
        guard listening else { throw Failure(description: "the responder on \(host.name) did not start listening") }
    }

    /// Empties every host's neighbour (ARP) cache.
    public func flushNeighbours() throws(Failure) {
        for host in topology.hosts {
            try Lab.ip(["-n", namespace(of: host), "neigh", "flush", "all"], input: "")
        }
    }

    /// Starts a responder on every port a declared host listens on, on all its addresses.
    public func startListeners(executable: String) throws(Failure) {
        for host in topology.hosts {
            for port in host.listen {
                try startResponder(on: host, address: "0.0.0.0", port: port, executable: executable)
            }
        }
    }

    /// Who answered each attempt of a probe (nil: no answer in time); a ping's answer is the
    /// address it went to.
    public func run(_ probe: LabTopology.Probe, timeout: Double) throws -> [String?] {
        guard let host = topology.hosts.first(where: { $0.name == probe.from }) else {
            throw Failure(description: "no lab host \(probe.from)")
        }
        return try NetworkNamespace.run(in: namespace(of: host)) {
            guard let port = probe.port else {
                return LabProbe.ping(address: probe.address, count: probe.count, timeout: timeout).map {
                    $0 ? probe.address : nil
                }
            }
            return LabProbe.askAll(address: probe.address, port: port, count: probe.count, timeout: timeout)
        }
    }

    /// What a probe's answers show: `rotates` when every attempt was answered and every
    /// listener behind the address answered at least once (the service's realservers for the
    /// VIP, else the hosts that have the address); `answered`, `failed`, or nil when only some
    /// attempts were answered.
    public func outcome(of probe: LabTopology.Probe, _ answers: [String?]) -> FrontMatter.LabDeclaration.Outcome? {
        let answered = answers.compactMap { $0 }
        if answered.isEmpty { return .failed }
        guard answered.count == answers.count else { return nil }
        let behind =
            probe.address == topology.virtualAddress
            ? Set(((try? backends()) ?? []).map(\.host.name))
            : Set(topology.hosts.filter { $0.addresses.contains { $0.address == probe.address } }.map(\.name))
        if probe.port != nil, behind.count > 1, Set(answered) == behind { return .rotates }
        return .answered
    }

    /// A counter of a host's namespace by its nstat name (`IcmpOutRedirects`, `TcpExtListenDrops`):
    /// /proc/net/snmp and /proc/net/netstat, header line and value line per group.
    public func counter(_ name: String, of host: LabTopology.Host) throws -> Int {
        let text = try NetworkNamespace.run(in: namespace(of: host)) {
            try ["snmp", "netstat"].compactMap {
                try FileIO.read("/proc/thread-self/net/\($0)").map { String(decoding: $0, as: UTF8.self) }
            }.joined(separator: "\n")
        }
        let lines = text.split(separator: "\n")
        for (index, header) in lines.enumerated() where index + 1 < lines.count {
            let names = header.split(separator: " "), values = lines[index + 1].split(separator: " ")
            guard let group = names.first, group.hasSuffix(":"), values.first == group, names.count == values.count
            else { continue }
            let prefix = group.dropLast()
            for (field, value) in zip(names.dropFirst(), values.dropFirst()) where "\(prefix)\(field)" == name {
                guard let number = Int(value) else { break }
                return number
            }
        }
        throw Failure(description: "no counter \(name) in \(host.name)'s /proc/net/snmp or /proc/net/netstat")
    }
}
