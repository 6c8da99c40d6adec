/// How the kernel combines `net.ipv4.conf.all.KEY` with `net.ipv4.conf.IFACE.KEY`: a value right
/// on paper can be ineffective because of the other one.
///
/// Source: Documentation/networking/ip-sysctl.rst and include/linux/inetdevice.h
/// (IN_DEV_ORCONF, IN_DEV_ANDCONF, IN_DEV_MAXCONF), as summarised in shared/notes/domain-facts.md.
public enum SysctlSemantics {
    public enum Rule: String, Sendable {
        /// Effective = all OR interface: on when either is on.
        case or
        /// Effective = all AND interface: on only when both are.
        case and
        /// Effective = max(all, interface).
        case max
    }

    public static let rules: [String: Rule] = [
        "send_redirects": .or, "secure_redirects": .or, "shared_media": .or, "log_martians": .or, "proxy_arp": .or,
        "accept_local": .or, "route_localnet": .or, "src_valid_mark": .or, "promote_secondaries": .or,
        "arp_filter": .or,
        "accept_source_route": .and, "mc_forwarding": .and, "bc_forwarding": .and, "bootp_relay": .and,
        "rp_filter": .max, "arp_ignore": .max, "arp_announce": .max, "arp_notify": .max,
    ]

    /// For a per-interface IPv4 key (`net.ipv4.conf.eth0.send_redirects`), the matching `all`
    /// key and the rule that combines them; nil for other keys (and for `all`/`default`).
    public static func combination(of key: String) -> (allKey: String, rule: Rule)? {
        // Most keys are not per-interface IPv4 ones: reject them before splitting anything.
        guard key.utf8.starts(with: "net.ipv4.conf.".utf8) else { return nil }
        let parts = key.split(separator: ".")
        guard parts.count == 5, parts[0] == "net", parts[1] == "ipv4", parts[2] == "conf",
            parts[3] != "all", parts[3] != "default", let rule = rules[String(parts[4])]
        else { return nil }
        return ("net.ipv4.conf.all.\(parts[4])", rule)
    }

    /// The value the kernel acts on for the interface, given both values; nil when they are not
    /// integers.
    public static func effective(_ rule: Rule, interface: String, all: String) -> Int? {
        guard let own = Int(interface.trimmingSpacesString), let global = Int(all.trimmingSpacesString) else {
            return nil
        }
        switch rule {
        case .or: return (own != 0 || global != 0) ? 1 : 0
        case .and: return (own != 0 && global != 0) ? 1 : 0
        case .max: return Swift.max(own, global)
        }
    }
}

extension SysctlSemantics.Rule: CustomStringConvertible {
    public var description: String {
        switch self {
        case .or: "the OR"
        case .and: "the AND"
        case .max: "the maximum"
        }
    }
}
