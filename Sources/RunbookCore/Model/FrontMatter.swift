/// YAML front matter of a runbook (Jekyll/Hugo style, as blog posts carry it), decoded once
/// when the runbook is read (see `FrontMatterDecoder`): what exec, audit and the lab read from
/// it is typed here, and a setting that cannot be read is an error at its line, never a
/// fallback.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    /// Lines the front matter occupies, both fences included.
    public var lineCount: Int
    /// `targets:` (role: target, or role: [targets]), in the order written.
    public var targets: [RoleTargets] = []
    /// `vars:` (NAME: value), each name a shell identifier.
    public var variables: [Variable] = []
    /// `lab:`, the topology declared for diagrams that cannot be read.
    public var lab: LabDeclaration?

    public struct RoleTargets: Sendable, Equatable {
        public var role: String
        /// Target texts as written (`local`, `netns:rs1`, `ssh://user@host`); what they mean
        /// is decided where targets are made.
        public var targets: [String]
        public var line: Int
    }

    public struct Variable: Sendable, Equatable {
        public var name: String
        public var value: String
        public var line: Int

        /// Reads `--set NAME=VALUE` into `values`, over what is there; returns what is wrong.
        /// The name becomes an environment variable, exported by name on ssh targets: only a
        /// shell identifier stays a name there.
        public static func set(_ assignment: String, in values: inout [String: String]) -> String? {
            guard let equals = assignment.firstIndex(of: "=") else {
                return "--set takes NAME=VALUE; got '\(assignment)'"
            }
            let name = String(assignment[..<equals])
            guard ShellQuote.isIdentifier(name) else {
                return "--set name '\(name)' is not a shell identifier ([A-Za-z_][A-Za-z0-9_]*)"
            }
            values[name] = String(assignment[assignment.index(after: equals)...])
            return nil
        }
    }

    public struct LabDeclaration: Sendable, Equatable {
        /// `VIP:PORT`, when given.
        public var service: String?
        public var hosts: [Host]
        public var probes: [Probe] = []
        public var counters: [Counter] = []
        public var line: Int

        public struct Host: Sendable, Equatable {
            public var name: String
            /// The host whose steps it runs; its own name when not given.
            public var role: String
            /// `ADDRESS/LEN [DEVICE[:LABEL]]` texts.
            public var addresses: [String]
            /// `default via GW`, `CIDR via GW [dev DEV]`: its starting routes.
            public var routes: [String] = []
            /// `80/tcp`: ports the built-in responder listens on.
            public var listen: [String] = []
            /// `net.ipv4.conf.all.rp_filter=1`: its starting `net.*` settings.
            public var sysctls: [String] = []
            public var line: Int
        }

        /// What a probe shows before the steps run and after.
        public enum Outcome: String, Sendable, CaseIterable {
            /// Every attempt got an answer.
            case answered
            /// No attempt got one.
            case failed
            /// Every attempt got one, from every listener behind the address in turn.
            case rotates
        }

        public struct Probe: Sendable, Equatable {
            public var from: String
            /// `ADDRESS:PORT` for a TCP connect; nil for a ping.
            public var to: String?
            /// The address an ICMP echo goes to.
            public var ping: String?
            public var count: Int
            public var before: Outcome?
            public var after: Outcome?
            public var line: Int
        }

        /// A /proc/net/snmp or /proc/net/netstat counter of a host (`IcmpOutRedirects`) whose
        /// change while the probes run is checked.
        public struct Counter: Sendable, Equatable {
            public var host: String
            public var name: String
            public var before: Int?
            public var after: Int?
            public var line: Int
        }
    }
}
