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
    }

    public struct LabDeclaration: Sendable, Equatable {
        /// `VIP:PORT`, when given.
        public var service: String?
        public var hosts: [Host]
        public var line: Int

        public struct Host: Sendable, Equatable {
            public var name: String
            public var role: String
            /// `ADDRESS/LEN [LABEL]` texts.
            public var addresses: [String]
            public var line: Int
        }
    }
}
