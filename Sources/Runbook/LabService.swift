import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The virtual service under test in a lab: the director balances VIP:port round robin to the
/// realservers, each of which answers with its own name; probes from the client namespace show
/// who answered.
extension Lab {
    public enum Balancer: String, Sendable {
        /// LVS-NAT with ipvsadm, where the kernel has IPVS.
        case ipvs
        /// An nftables DNAT rule that round-robins to the realservers, where it has not (the
        /// same path for the packets: in through the director, rewritten, back through it).
        case nftables
    }

    /// Turns on forwarding on the director, installs the balancer and starts a responder on
    /// each realserver (`executable lab respond`), waiting until they listen.
    public func startService(executable: String) throws(Failure) -> Balancer {
        guard let director = topology.director, let vip = topology.virtualAddress else {
            throw Failure(description: "the topology has no director with a VIP to offer the service on")
        }
        let servers = topology.realservers
        let addresses = servers.compactMap { $0.addresses.first?.address }
        guard !addresses.isEmpty else { throw Failure(description: "the topology has no realservers") }
        let directorNamespace = namespace(of: director)
        do {
            try DirectState(target: .netns(directorNamespace)).writeSysctl("net.ipv4.ip_forward", "1")
        } catch {
            throw Failure(description: "cannot turn on forwarding on the director: \(error)")
        }
        let balancer: Balancer
        if FileManager.default.fileExists(atPath: "/proc/net/ip_vs"), Lab.onPath("ipvsadm") {
            balancer = .ipvs
            try Lab.run(["ip", "netns", "exec", directorNamespace, "ipvsadm", "-A", "-t", "\(vip):\(topology.port)", "-s", "rr"])
            for address in addresses {
                try Lab.run(["ip", "netns", "exec", directorNamespace, "ipvsadm", "-a", "-t", "\(vip):\(topology.port)", "-r", "\(address):\(topology.port)", "-m"])
            }
        } else {
            balancer = .nftables
            let map = addresses.enumerated().map { "\($0.offset) : \($0.element)" }.joined(separator: ", ")
            try Lab.run(["ip", "netns", "exec", directorNamespace, "nft", "-f", "-"], input: """
                table ip runbook_lab {
                    chain prerouting {
                        type nat hook prerouting priority dstnat; policy accept;
                        ip daddr \(vip) tcp dport \(topology.port) dnat to numgen inc mod \(addresses.count) map { \(map) }
                    }
                }

                """)
        }
        for (server, address) in zip(servers, addresses) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ip", "netns", "exec", namespace(of: server), executable, "lab", "respond",
                                 "--address", address, "--port", String(topology.port), "--name", server.name]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw Failure(description: "cannot start the responder on \(server.name): \(error)")
            }
        }
        for (server, address) in zip(servers, addresses) {
            var listening = false
            for _ in 0..<200 where !listening {
                listening = (try? NetworkNamespace.run(in: namespace(of: server)) {
                    LabProbe.ask(address: address, port: topology.port, timeout: 0.2) != nil
                }) == true
                if !listening { usleep(10_000) }
            }
            guard listening else { throw Failure(description: "the responder on \(server.name) did not start listening") }
        }
        return balancer
    }

    /// Connects to VIP:port `count` times at once from the client and returns who answered
    /// each (nil: the connection failed or timed out).
    public func probe(count: Int, timeout: Double) throws -> [String?] {
        guard let client = topology.client, let vip = topology.virtualAddress else {
            throw Failure(description: "the topology has no client or no VIP to probe from")
        }
        return try NetworkNamespace.run(in: namespace(of: client)) {
            LabProbe.askAll(address: vip, port: topology.port, count: count, timeout: timeout)
        }
    }

    /// The director's IcmpOutRedirects counter (/proc/net/snmp of its namespace).
    public func redirectsSent() throws -> Int {
        guard let director = topology.director else { throw Failure(description: "the topology has no director") }
        let text = try NetworkNamespace.run(in: namespace(of: director)) {
            try FileIO.read("/proc/thread-self/net/snmp").map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        let icmp = text.split(separator: "\n").filter { $0.hasPrefix("Icmp:") }
        guard icmp.count >= 2 else { throw Failure(description: "no Icmp counters in the director's /proc/net/snmp") }
        let names = icmp[0].split(separator: " "), values = icmp[1].split(separator: " ")
        guard let index = names.firstIndex(of: "OutRedirects"), index < values.count, let value = Int(values[index]) else {
            throw Failure(description: "no OutRedirects counter in the director's /proc/net/snmp")
        }
        return value
    }

    static func onPath(_ program: String) -> Bool {
        (getenv("PATH").map { String(cString: $0) } ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":").contains {
            access("\($0)/\(program)", X_OK) == 0
        }
    }
}

/// TCP client and server of the lab's service, on plain sockets.
public enum LabProbe {
    /// Serves forever: each connection gets `name` and a newline.
    public static func serve(address: String, port: Int, name: String) -> Never {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = Self.socketAddress(address, port)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 128) == 0 else {
            let message = Array("cannot listen on \(address):\(port): \(String(cString: strerror(errno)))\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(1)
        }
        let reply = Array("\(name)\n".utf8)
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 { continue }
            _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            close(connection)
        }
    }

    /// One question: who answers at address:port?
    static func ask(address: String, port: Int, timeout: Double) -> String? {
        askAll(address: address, port: port, count: 1, timeout: timeout).first ?? nil
    }

    /// `count` connections at once, each answered or not within `timeout` seconds.
    static func askAll(address: String, port: Int, count: Int, timeout: Double) -> [String?] {
        var sockets: [Int32] = []
        var answers = [String?](repeating: nil, count: count)
        var buffers = [[UInt8]](repeating: [], count: count)
        var connected = [Bool](repeating: false, count: count)
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var socketAddress = Self.socketAddress(address, port)
            _ = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            sockets.append(fd)
        }
        defer { sockets.forEach { close($0) } }
        var open = Set(0..<count)
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while !open.isEmpty {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let elapsed = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
            guard elapsed < timeout else { break }
            var fds = open.sorted().map { pollfd(fd: sockets[$0], events: Int16(connected[$0] ? POLLIN : POLLOUT), revents: 0) }
            let indices = open.sorted()
            guard poll(&fds, nfds_t(fds.count), Int32((timeout - elapsed) * 1000) + 1) > 0 else { continue }
            for (position, entry) in fds.enumerated() where entry.revents != 0 {
                let index = indices[position]
                if !connected[index] {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(entry.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    if error != 0 { open.remove(index) } else { connected[index] = true }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 256)
                let read = chunk.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                if read > 0 { buffers[index] += chunk[0..<read] }
                if read <= 0 || buffers[index].contains(0x0A) {
                    let text = String(decoding: buffers[index], as: UTF8.self).trimmingTrailingNewlines
                    answers[index] = text.isEmpty ? nil : text
                    open.remove(index)
                }
            }
        }
        return answers
    }

    private static func socketAddress(_ address: String, _ port: Int) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        socketAddress.sin_addr.s_addr = (IPv4.parse(address) ?? 0).bigEndian
        return socketAddress
    }
}
