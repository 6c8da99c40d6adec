import Foundation
import Testing

/// Network namespaces a test creates for itself and always removes: the director and
/// realservers of the example runbook on one veth/bridge segment, nothing connected to the
/// host's namespace. Names carry the process id and a counter so parallel tests never collide.
public final class TestLab {
    /// Root and iproute2 with namespace support: what the real tests need.
    public static let isAvailable: Bool = {
        guard getuid() == 0 else { return false }
        return (try? shell("ip netns list")) != nil
    }()

    public static let unavailableReason = "needs root and iproute2 network namespaces (CI has both)"

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    public let prefix: String
    public private(set) var namespaces: [String] = []
    private let hadNetnsDirectory = FileManager.default.fileExists(atPath: "/etc/netns")

    public init() {
        TestLab.lock.lock()
        TestLab.counter += 1
        prefix = "rbt\(getpid())x\(TestLab.counter)"
        TestLab.lock.unlock()
    }

    deinit {
        for name in namespaces {
            // Deleting a namespace does not end the processes in it (sshd, timers).
            _ = try? TestLab.shell("ip netns pids \(name) | xargs -r kill -9")
            _ = try? TestLab.shell("ip netns del \(name)")
            try? FileManager.default.removeItem(atPath: "/etc/netns/\(name)")
        }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        // rmdir(2), not a recursive removal: it only succeeds when no other test is using it.
        if !hadNetnsDirectory { rmdir("/etc/netns") }
    }

    /// The example topology: a bridge namespace, the director at 192.168.1.9 and realservers at
    /// 192.168.1.2... with a default route via the director. Every host's interface is `eth0`.
    public func lvsNat(realservers: Int) throws -> (director: String, realservers: [String]) {
        let bridge = try add("sw")
        try run("ip -n \(bridge) link add br0 type bridge && ip -n \(bridge) link set br0 up")
        let director = try host("d", address: "192.168.1.9/24", bridge: bridge, port: 0)
        var servers: [String] = []
        for index in 0..<realservers {
            let name = try host("r\(index + 1)", address: "192.168.1.\(index + 2)/24", bridge: bridge, port: index + 1)
            try run("ip -n \(name) route add default via 192.168.1.9")
            servers.append(name)
        }
        return (director, servers)
    }

    /// A client on the lab's segment at 192.168.1.254, as in the example's diagram.
    public func client(bridge: String) throws -> String {
        try host("c", address: "192.168.1.254/24", bridge: bridge, port: 99)
    }

    public var bridge: String { "\(prefix)-sw" }

    /// Starts sshd inside `namespace` on `address`:2222 with a throwaway host key and a
    /// throwaway client key; returns an ssh config file for the client. Nothing in the host's
    /// /etc or ~/.ssh is used or touched.
    public func sshd(in namespace: String, address: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-ssh").path
        // One key pair for every sshd of the lab, one config and pid file each.
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            directories.append(directory)
            try run(
                """
                ssh-keygen -q -t ed25519 -N '' -f \(directory)/host_key && ssh-keygen -q -t ed25519 -N '' -f \(directory)/client_key && \
                cp \(directory)/client_key.pub \(directory)/authorized_keys && mkdir -p /run/sshd
                """)
        }
        try """
        Port 2222
        ListenAddress \(address)
        HostKey \(directory)/host_key
        PidFile \(directory)/sshd-\(namespace).pid
        AuthorizedKeysFile \(directory)/authorized_keys
        PermitRootLogin prohibit-password
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no

        """.write(toFile: "\(directory)/sshd-\(namespace).config", atomically: true, encoding: .utf8)
        try """
        Host *
          IdentityFile \(directory)/client_key
          UserKnownHostsFile /dev/null
          StrictHostKeyChecking no
          LogLevel ERROR
          ConnectTimeout 5

        """.write(toFile: "\(directory)/ssh_config", atomically: true, encoding: .utf8)
        try run(
            "ip netns exec \(namespace) /usr/sbin/sshd -f \(directory)/sshd-\(namespace).config -E \(directory)/sshd-\(namespace).log"
        )
        return "\(directory)/ssh_config"
    }

    public static let hasSSH =
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")

    private var directories: [String] = []

    @discardableResult
    public func add(_ suffix: String) throws -> String {
        let name = "\(prefix)-\(suffix)"
        try run("ip netns add \(name) && ip -n \(name) link set lo up")
        namespaces.append(name)
        return name
    }

    private func host(_ suffix: String, address: String, bridge: String, port: Int) throws -> String {
        let name = try add(suffix)
        try run(
            """
            ip -n \(bridge) link add p\(port) type veth peer name eth0 netns \(name) && \
            ip -n \(bridge) link set p\(port) master br0 up && \
            ip -n \(name) addr add \(address) dev eth0 && ip -n \(name) link set eth0 up
            """)
        return name
    }

    /// Runs a command in a namespace and returns its output.
    public func inside(_ namespace: String, _ command: String) throws -> String {
        try TestLab.shell("ip netns exec \(namespace) sh -c '\(command)'")
    }

    public func run(_ command: String) throws {
        _ = try TestLab.shell(command)
    }

    /// Whether a process with exactly this command line exists (read from /proc, no pgrep: its
    /// own `sh -c` would match the pattern too).
    public static func processRuns(_ arguments: [String]) -> Bool {
        let wanted = Data(arguments.joined(separator: "\0").utf8 + [0])
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            entry.allSatisfy(\.isNumber) && FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") == wanted
        }
    }

    public struct CommandFailed: Error, CustomStringConvertible {
        public var description: String
    }

    @discardableResult
    public static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(
                description: "\(command): exit \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
