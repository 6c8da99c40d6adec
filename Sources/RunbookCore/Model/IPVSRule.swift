/// One rule of the kernel's IPVS table, as `ipvsadm` sets it: a virtual service or a real
/// server behind one. What ipvsadm fills in when the command leaves it out (the forwarding
/// method, a server's weight, the service's port for the server) is filled in here, so that two
/// spellings of one rule compare equal.
public struct IPVSRule: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case addService = "add-service", editService = "edit-service", deleteService = "delete-service"
        case addServer = "add-server", editServer = "edit-server", deleteServer = "delete-server"
        case clear

        public var isServerRule: Bool { self == .addServer || self == .editServer || self == .deleteServer }

        /// ipvsadm's option for the action.
        public var flag: String {
            switch self {
            case .addService: "-A"
            case .editService: "-E"
            case .deleteService: "-D"
            case .addServer: "-a"
            case .editServer: "-e"
            case .deleteServer: "-d"
            case .clear: "-C"
            }
        }
    }

    public enum ServiceProtocol: String, Sendable, CaseIterable {
        case tcp, udp, fwmark

        /// ipvsadm's option for a service of this protocol.
        public var flag: String {
            switch self {
            case .tcp: "-t"
            case .udp: "-u"
            case .fwmark: "-f"
            }
        }
    }

    /// How the director hands packets to a real server: direct routing (`-g`), NAT (`-m`) or an
    /// IP-in-IP tunnel (`-i`).
    public enum Forwarding: String, Sendable {
        case route, masq, tunnel

        /// ipvsadm's option for this method.
        public var flag: String {
            switch self {
            case .route: "-g"
            case .masq: "-m"
            case .tunnel: "-i"
            }
        }
    }

    // Strings first, then the optional integers, then the one-byte enums: laid out in this
    // order the rule is no larger than a route change, so a step does not grow for it.
    /// `VIP:PORT`, or the mark of a `fwmark` service; nil only for `clear`.
    public var service: String?
    /// As written (`-s rr`); nil when the command does not say (ipvsadm then uses `wlc`).
    public var scheduler: String?
    /// `RIP:PORT` for server rules.
    public var server: String?
    public var command: String
    /// Persistence timeout in seconds (`-p` alone is ipvsadm's 300); nil when not persistent.
    public var persistent: Int?
    public var weight: Int?
    public var action: Action
    /// Nil only for `clear`.
    public var serviceProtocol: ServiceProtocol?
    public var forwarding: Forwarding?

    @inlinable
    public init(
        action: Action, serviceProtocol: ServiceProtocol?, service: String?, scheduler: String? = nil,
        persistent: Int? = nil, server: String? = nil, forwarding: Forwarding? = nil, weight: Int? = nil,
        command: String
    ) {
        self.action = action
        self.serviceProtocol = serviceProtocol
        self.service = service
        self.scheduler = scheduler
        self.persistent = persistent
        self.server = server
        self.forwarding = forwarding
        self.weight = weight
        self.command = command
    }

    /// `add-server tcp 192.168.1.10:80 -> 192.168.179.111:80 masq weight 2`: what plan and
    /// reports show.
    public var summary: String {
        var parts = [action.rawValue]
        if let serviceProtocol, let service { parts += [serviceProtocol.rawValue, service] }
        if let server { parts += ["->", server] }
        if let scheduler { parts += ["scheduler", scheduler] }
        if let persistent { parts += ["persistent", String(persistent)] }
        if let forwarding { parts.append(forwarding.rawValue) }
        if let weight { parts += ["weight", String(weight)] }
        return parts.joined(separator: " ")
    }

    /// The options after the service and server, as ipvsadm takes them.
    public var options: [String] {
        var words: [String] = []
        if let scheduler { words += ["-s", scheduler] }
        if let persistent { words += ["-p", String(persistent)] }
        if let forwarding { words.append(forwarding.flag) }
        if let weight { words += ["-w", String(weight)] }
        return words
    }

    /// The ipvsadm command that sets this rule, whatever spelling the runbook used.
    public var ipvsadmCommand: String {
        var words = ["ipvsadm", action.flag]
        if let serviceProtocol, let service { words += [serviceProtocol.flag, service] }
        if let server { words += ["-r", server] }
        return (words + options).joined(separator: " ")
    }
}

/// A virtual service of the kernel's IPVS table with its real servers, as `/proc/net/ip_vs`
/// and `ipvsadm -Ln` show it.
public struct IPVSService: Sendable, Equatable {
    public var serviceProtocol: IPVSRule.ServiceProtocol
    /// `VIP:PORT`, or the mark of a fwmark service.
    public var service: String
    public var scheduler: String
    public var persistent: Int?
    public var servers: [Server]

    public struct Server: Sendable, Equatable {
        /// `RIP:PORT`.
        public var address: String
        /// Nil for `Local` (a real server on the director itself).
        public var forwarding: IPVSRule.Forwarding?
        public var weight: Int

        @inlinable
        public init(address: String, forwarding: IPVSRule.Forwarding?, weight: Int) {
            self.address = address
            self.forwarding = forwarding
            self.weight = weight
        }
    }

    @inlinable
    public init(
        serviceProtocol: IPVSRule.ServiceProtocol, service: String, scheduler: String, persistent: Int?,
        servers: [Server]
    ) {
        self.serviceProtocol = serviceProtocol
        self.service = service
        self.scheduler = scheduler
        self.persistent = persistent
        self.servers = servers
    }

    /// `tcp 192.168.1.10:80`: how findings name a service.
    public var name: String { "\(serviceProtocol.rawValue) \(service)" }

    /// What of a table is compared, one line per service (`tcp 192.168.1.110:80 wrr`) and per
    /// server (`tcp 192.168.1.110:80 -> 192.168.1.2:80 masq weight 2`): exec and audit compare
    /// these as sets, and the exports' `rb_expect_ipvs` prints the live table the same way.
    public var rows: [String] {
        [name + " " + scheduler]
            + servers.map { "\(name) -> \($0.address) \($0.forwarding?.rawValue ?? "local") weight \($0.weight)" }
    }
}

/// How `ipvsadm -Ln` and /proc/net/ip_vs name what a rule sets: both are read into `IPVSService`.
extension IPVSService {
    /// `TCP`, `UDP`, `FWM`.
    package static func serviceProtocol(listed name: Substring) -> IPVSRule.ServiceProtocol? {
        switch name {
        case "TCP": .tcp
        case "UDP": .udp
        case "FWM": .fwmark
        default: nil
        }
    }

    /// `Masq`, `Route`, `Tunnel`; `Local` (a server on the director itself) is none of them:
    /// `.some(nil)`. Nil for a name that is not a method.
    package static func forwarding(listed name: Substring) -> IPVSRule.Forwarding?? {
        switch name {
        case "Masq": .some(.masq)
        case "Route": .some(.route)
        case "Tunnel": .some(.tunnel)
        case "Local": .some(nil)
        default: nil
        }
    }

    /// The timeout after `persistent` on a service's line.
    package static func persistence(_ fields: [Substring]) -> Int? {
        fields.firstIndex(of: "persistent").flatMap { $0 + 1 < fields.count ? Int(fields[$0 + 1]) : nil }
    }
}
